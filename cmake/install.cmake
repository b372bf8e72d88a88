# What `cmake --install` puts under a prefix, and the Debian package CPack builds from it
# (`cpack -G DEB` in the build folder; README, "Installing").
#   <prefix>/bin/ratingstream
#   <prefix>/share/ratingstream/sample/{catalogue,movies}.csv   the defaults of --catalog and --movies,
#                                                              found relative to the binary
#   <prefix>/share/doc/ratingstream/                           README, docs/ and the systemd examples
include(GNUInstallDirs)
install(TARGETS ratingstream RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/data/sample/catalogue.csv" "${PROJECT_SOURCE_DIR}/data/sample/movies.csv"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/ratingstream/sample")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")

set(CPACK_PACKAGE_NAME "ratingstream")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "ratingstream maintainers <ratingstream@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Movie ratings from Kafka, joined with a catalogue, into Cassandra")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
# The shared libraries the binary links (libssl, libcurl, libfmt, ...) become Depends: on the
# Debian packages that hold them, as dpkg-shlibdeps finds them; librdkafka and the Cassandra
# driver are linked in.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tzdata")
include(CPack)
