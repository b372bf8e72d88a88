//! Values crossing the C boundary: `cqlb_value` (bound by C, read back by C), its serialization
//! straight from C memory, and the conversion of read CQL values into it.

use std::ffi::c_char;
use std::fmt;

use scylla::cluster::metadata::{CollectionType, ColumnType, NativeType};
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::{CellWriter, WrittenCellProof};
use scylla::serialize::SerializationError;
use scylla::value::{Counter, CqlTimestamp, CqlTimeuuid, CqlValue};
use uuid::Uuid;

/// Type tags of `cqlb_value.type`; they match `CQLB_NULL`.. in the header.
pub const CQLB_NULL: i32 = 0;
pub const CQLB_TEXT: i32 = 1;
pub const CQLB_INT: i32 = 2;
pub const CQLB_BIGINT: i32 = 3;
pub const CQLB_TIMESTAMP: i32 = 4;
pub const CQLB_UUID: i32 = 5;
pub const CQLB_DOUBLE: i32 = 6;
pub const CQLB_BOOLEAN: i32 = 7;
pub const CQLB_UNSET: i32 = 8;

/// `cqlb_value`: one value, tagged by `kind`. Only the field the tag names is meaningful.
///
/// Invariant relied on by `text_str`: when `kind == CQLB_TEXT` and `text_len > 0`, `text` points
/// to `text_len` bytes that stay readable for as long as the value is borrowed. Values bound by C
/// get this from the header's contract (they must outlive the call); values made by the bridge
/// borrow from a `Cell` that outlives them.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CqlbValue {
    pub kind: i32,
    pub text: *const c_char,
    pub text_len: usize,
    pub integer: i64,
    pub float64: f64,
    pub uuid: [u8; 16],
}

impl CqlbValue {
    pub const fn null() -> Self {
        CqlbValue {
            kind: CQLB_NULL,
            text: std::ptr::null(),
            text_len: 0,
            integer: 0,
            float64: 0.0,
            uuid: [0; 16],
        }
    }

    /// The text of a `CQLB_TEXT` value, borrowed from wherever `text` points.
    fn text_str(&self) -> Result<&str, BindError> {
        if self.text_len == 0 {
            return Ok("");
        }
        if self.text.is_null() {
            return Err(BindError(format!(
                "text value has a null pointer and length {}",
                self.text_len
            )));
        }
        // SAFETY: by the type's invariant `text` points to `text_len` readable bytes for the
        // lifetime of `&self`; it is non-null (checked above) and u8 has no alignment needs.
        let bytes = unsafe { std::slice::from_raw_parts(self.text.cast::<u8>(), self.text_len) };
        std::str::from_utf8(bytes)
            .map_err(|e| BindError(format!("text value is not valid UTF-8: {e}")))
    }
}

/// A value that cannot be bound to its column.
#[derive(Debug)]
pub struct BindError(pub String);

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BindError {}

fn bind_err(message: String) -> SerializationError {
    SerializationError::new(BindError(message))
}

fn out_of_range(value: i64, typ: &ColumnType) -> SerializationError {
    bind_err(format!(
        "{value} is out of range for a {} column",
        type_name(typ)
    ))
}

/// An integer into any integer column it fits, else the driver's own type check error.
fn serialize_integer<'b>(
    value: i64,
    typ: &ColumnType,
    writer: CellWriter<'b>,
) -> Result<WrittenCellProof<'b>, SerializationError> {
    match typ {
        ColumnType::Native(NativeType::Int) => i32::try_from(value)
            .map_err(|_| out_of_range(value, typ))?
            .serialize(typ, writer),
        ColumnType::Native(NativeType::SmallInt) => i16::try_from(value)
            .map_err(|_| out_of_range(value, typ))?
            .serialize(typ, writer),
        ColumnType::Native(NativeType::TinyInt) => i8::try_from(value)
            .map_err(|_| out_of_range(value, typ))?
            .serialize(typ, writer),
        ColumnType::Native(NativeType::Counter) => Counter(value).serialize(typ, writer),
        _ => value.serialize(typ, writer),
    }
}

/// `value` as the nearest `f32`, or an error when float cannot hold it: beyond float's range
/// (it would become infinity) or so small and non-zero that it would become 0.
fn float_of(value: f64) -> Result<f32, SerializationError> {
    let narrowed = value as f32;
    let overflows = value.is_finite() && narrowed.is_infinite();
    let underflows = value != 0.0 && narrowed == 0.0;
    if overflows || underflows {
        return Err(bind_err(format!(
            "{value} cannot be stored in a float column (float holds magnitudes from about 1.4e-45 \
             to 3.4e38); bind it to a double column"
        )));
    }
    Ok(narrowed)
}

/// Serializes directly from the C struct: no copy of the text, no allocation per value.
impl SerializeValue for CqlbValue {
    fn serialize<'b>(
        &self,
        typ: &ColumnType,
        writer: CellWriter<'b>,
    ) -> Result<WrittenCellProof<'b>, SerializationError> {
        match self.kind {
            CQLB_NULL => Ok(writer.set_null()),
            // Leaves the column as it is: no cell, no tombstone.
            CQLB_UNSET => Ok(writer.set_unset()),
            CQLB_TEXT => {
                let text = self.text_str().map_err(SerializationError::new)?;
                text.serialize(typ, writer)
            }
            CQLB_INT | CQLB_BIGINT => serialize_integer(self.integer, typ, writer),
            CQLB_TIMESTAMP => CqlTimestamp(self.integer).serialize(typ, writer),
            CQLB_UUID => {
                let uuid = Uuid::from_bytes(self.uuid);
                match typ {
                    ColumnType::Native(NativeType::Timeuuid) => {
                        CqlTimeuuid::from(uuid).serialize(typ, writer)
                    }
                    _ => uuid.serialize(typ, writer),
                }
            }
            // A double column takes the value exactly; a float column the nearest float, when the
            // value is within float's range (else refused rather than stored as infinity or 0).
            CQLB_DOUBLE => match typ {
                ColumnType::Native(NativeType::Float) => {
                    float_of(self.float64)?.serialize(typ, writer)
                }
                _ => self.float64.serialize(typ, writer),
            },
            CQLB_BOOLEAN => (self.integer != 0).serialize(typ, writer),
            other => Err(bind_err(format!("unknown cqlb_value type tag {other}"))),
        }
    }
}

/// A value read from Cassandra, owned by the pager until the next row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i32),
    BigInt(i64),
    Timestamp(i64),
    Uuid([u8; 16]),
    Double(f64),
    Bool(bool),
}

impl Cell {
    /// Maps a driver value to the supported types; other types become their CQL literal text.
    pub fn from_cql(value: Option<CqlValue>) -> Cell {
        let Some(value) = value else {
            return Cell::Null;
        };
        match value {
            CqlValue::Text(s) | CqlValue::Ascii(s) => Cell::Text(s),
            CqlValue::Int(v) => Cell::Int(v),
            CqlValue::SmallInt(v) => Cell::Int(v.into()),
            CqlValue::TinyInt(v) => Cell::Int(v.into()),
            CqlValue::BigInt(v) => Cell::BigInt(v),
            CqlValue::Counter(c) => Cell::BigInt(c.0),
            CqlValue::Timestamp(t) => Cell::Timestamp(t.0),
            CqlValue::Uuid(u) => Cell::Uuid(*u.as_bytes()),
            CqlValue::Timeuuid(u) => Cell::Uuid(*u.as_bytes()),
            CqlValue::Double(v) => Cell::Double(v),
            CqlValue::Float(v) => Cell::Double(v.into()),
            CqlValue::Boolean(v) => Cell::Bool(v),
            CqlValue::Empty => Cell::Null,
            CqlValue::Inet(addr) => Cell::Text(addr.to_string()),
            other => Cell::Text(other.to_string()),
        }
    }

    /// The C view of this cell; its text borrows from `self`.
    pub fn to_c(&self) -> CqlbValue {
        let mut v = CqlbValue::null();
        match self {
            Cell::Null => {}
            Cell::Text(s) => {
                v.kind = CQLB_TEXT;
                v.text = s.as_ptr().cast::<c_char>();
                v.text_len = s.len();
            }
            Cell::Int(i) => {
                v.kind = CQLB_INT;
                v.integer = (*i).into();
            }
            Cell::BigInt(i) => {
                v.kind = CQLB_BIGINT;
                v.integer = *i;
            }
            Cell::Timestamp(ms) => {
                v.kind = CQLB_TIMESTAMP;
                v.integer = *ms;
            }
            Cell::Uuid(u) => {
                v.kind = CQLB_UUID;
                v.uuid = *u;
            }
            Cell::Double(d) => {
                v.kind = CQLB_DOUBLE;
                v.float64 = *d;
            }
            Cell::Bool(b) => {
                v.kind = CQLB_BOOLEAN;
                v.integer = i64::from(*b);
            }
        }
        v
    }
}

/// The CQL name of a column type, as `DESCRIBE` writes it: `text`, `map<text, int>`, ...
pub fn type_name(typ: &ColumnType) -> String {
    match typ {
        ColumnType::Native(native) => native_name(native).to_owned(),
        ColumnType::Collection { frozen, typ } => {
            let inner = match typ {
                CollectionType::List(t) => format!("list<{}>", type_name(t)),
                CollectionType::Set(t) => format!("set<{}>", type_name(t)),
                CollectionType::Map(k, v) => format!("map<{}, {}>", type_name(k), type_name(v)),
                _ => "collection".to_owned(),
            };
            frozen_if(*frozen, inner)
        }
        ColumnType::Vector { typ, dimensions } => {
            format!("vector<{}, {dimensions}>", type_name(typ))
        }
        ColumnType::UserDefinedType { frozen, definition } => {
            frozen_if(*frozen, definition.name.to_string())
        }
        ColumnType::Tuple(items) => {
            let names: Vec<String> = items.iter().map(type_name).collect();
            format!("frozen<tuple<{}>>", names.join(", "))
        }
        _ => "unknown".to_owned(),
    }
}

fn frozen_if(frozen: bool, name: String) -> String {
    if frozen {
        format!("frozen<{name}>")
    } else {
        name
    }
}

fn native_name(native: &NativeType) -> &'static str {
    match native {
        NativeType::Ascii => "ascii",
        NativeType::Boolean => "boolean",
        NativeType::Blob => "blob",
        NativeType::Counter => "counter",
        NativeType::Date => "date",
        NativeType::Decimal => "decimal",
        NativeType::Double => "double",
        NativeType::Duration => "duration",
        NativeType::Float => "float",
        NativeType::Int => "int",
        NativeType::BigInt => "bigint",
        NativeType::Text => "text",
        NativeType::Timestamp => "timestamp",
        NativeType::Inet => "inet",
        NativeType::SmallInt => "smallint",
        NativeType::TinyInt => "tinyint",
        NativeType::Time => "time",
        NativeType::Timeuuid => "timeuuid",
        NativeType::Uuid => "uuid",
        NativeType::Varint => "varint",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serialize(value: &CqlbValue, typ: &ColumnType) -> Result<Vec<u8>, SerializationError> {
        let mut buf = Vec::new();
        value.serialize(typ, CellWriter::new(&mut buf))?;
        Ok(buf)
    }

    fn text(s: &str) -> CqlbValue {
        let mut v = CqlbValue::null();
        v.kind = CQLB_TEXT;
        v.text = s.as_ptr().cast();
        v.text_len = s.len();
        v
    }

    fn integer(kind: i32, i: i64) -> CqlbValue {
        let mut v = CqlbValue::null();
        v.kind = kind;
        v.integer = i;
        v
    }

    #[test]
    fn text_is_written_with_its_length() {
        let buf = serialize(&text("héllo"), &ColumnType::Native(NativeType::Text)).unwrap();
        assert_eq!(&buf[..4], &6i32.to_be_bytes());
        assert_eq!(&buf[4..], "héllo".as_bytes());
    }

    #[test]
    fn invalid_utf8_and_null_pointer_are_errors() {
        let bad = [0xffu8, 0xfe];
        let mut v = CqlbValue::null();
        v.kind = CQLB_TEXT;
        v.text = bad.as_ptr().cast();
        v.text_len = bad.len();
        let err = serialize(&v, &ColumnType::Native(NativeType::Text)).unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
        v.text = std::ptr::null();
        assert!(serialize(&v, &ColumnType::Native(NativeType::Text)).is_err());
    }

    #[test]
    fn null_is_length_minus_one() {
        let buf = serialize(&CqlbValue::null(), &ColumnType::Native(NativeType::Int)).unwrap();
        assert_eq!(buf, (-1i32).to_be_bytes());
    }

    #[test]
    fn integers_fit_their_column_or_fail() {
        let int = ColumnType::Native(NativeType::Int);
        let big = ColumnType::Native(NativeType::BigInt);
        assert_eq!(
            serialize(&integer(CQLB_INT, 7), &big).unwrap()[4..],
            7i64.to_be_bytes()
        );
        assert_eq!(
            serialize(&integer(CQLB_BIGINT, 7), &int).unwrap()[4..],
            7i32.to_be_bytes()
        );
        let err = serialize(&integer(CQLB_BIGINT, 1 << 40), &int).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
        assert!(serialize(&integer(CQLB_INT, 7), &ColumnType::Native(NativeType::Text)).is_err());
        assert!(serialize(&integer(99, 7), &int).is_err());
    }

    fn double(d: f64) -> CqlbValue {
        let mut v = CqlbValue::null();
        v.kind = CQLB_DOUBLE;
        v.float64 = d;
        v
    }

    #[test]
    fn doubles_bind_exactly_to_double_and_within_range_to_float() {
        let dbl = ColumnType::Native(NativeType::Double);
        let flt = ColumnType::Native(NativeType::Float);
        // 0.1 + 2^-40 is not a float: a double column keeps every bit.
        let precise = 0.1f64 + 2f64.powi(-40);
        assert_eq!(
            serialize(&double(precise), &dbl).unwrap()[4..],
            precise.to_be_bytes()
        );
        assert_eq!(
            serialize(&double(1e300), &dbl).unwrap()[4..],
            1e300f64.to_be_bytes()
        );
        // A float column: the nearest float.
        assert_eq!(
            serialize(&double(0.1), &flt).unwrap()[4..],
            0.1f32.to_be_bytes()
        );
        assert_eq!(
            serialize(&double(0.0), &flt).unwrap()[4..],
            0f32.to_be_bytes()
        );
        assert!(serialize(&double(f64::INFINITY), &flt).is_ok());
        for bad in [1e300, -1e39, 1e-300] {
            let err = serialize(&double(bad), &flt).unwrap_err();
            assert!(
                err.to_string()
                    .contains("cannot be stored in a float column"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn unset_writes_the_unset_marker() {
        let mut v = CqlbValue::null();
        v.kind = CQLB_UNSET;
        let buf = serialize(&v, &ColumnType::Native(NativeType::Text)).unwrap();
        // Length -2 is "unset" in the protocol (-1 is null).
        assert_eq!(buf, (-2i32).to_be_bytes());
    }

    #[test]
    fn cells_round_trip_to_c() {
        let cell = Cell::from_cql(Some(CqlValue::Text("abc".into())));
        let c = cell.to_c();
        assert_eq!(c.kind, CQLB_TEXT);
        assert_eq!(c.text_str().unwrap(), "abc");
        assert_eq!(Cell::from_cql(None).to_c().kind, CQLB_NULL);
        assert_eq!(Cell::from_cql(Some(CqlValue::TinyInt(-3))), Cell::Int(-3));
        let list = Cell::from_cql(Some(CqlValue::List(vec![
            CqlValue::Int(1),
            CqlValue::Int(2),
        ])));
        assert_eq!(list, Cell::Text("[1,2]".into()));
    }

    #[test]
    fn c_layout_matches_the_header() {
        // The header's cqlb_value: int32, pointer, size_t, int64, double, uint8_t[16].
        assert_eq!(std::mem::size_of::<CqlbValue>(), 56);
        assert_eq!(std::mem::offset_of!(CqlbValue, text), 8);
        assert_eq!(std::mem::offset_of!(CqlbValue, uuid), 40);
    }

    #[test]
    fn type_names() {
        let map = ColumnType::Collection {
            frozen: false,
            typ: CollectionType::Map(
                Box::new(ColumnType::Native(NativeType::Text)),
                Box::new(ColumnType::Native(NativeType::Int)),
            ),
        };
        assert_eq!(type_name(&map), "map<text, int>");
        assert_eq!(
            type_name(&ColumnType::Native(NativeType::Timestamp)),
            "timestamp"
        );
    }
}
