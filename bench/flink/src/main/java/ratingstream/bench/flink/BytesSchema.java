package ratingstream.bench.flink;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** A Kafka record's value as it is (Spark's `value` column); a null value becomes an empty one. */
final class BytesSchema implements DeserializationSchema<byte[]> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public byte[] deserialize(byte[] message) {
        return message == null ? EMPTY : message;   // counted and dropped by the decoder, as in Spark
    }

    @Override
    public boolean isEndOfStream(byte[] next) {
        return false;
    }

    @Override
    public TypeInformation<byte[]> getProducedType() {
        return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
    }
}
