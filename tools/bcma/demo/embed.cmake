# Turns the demo home (home.json) into a C++ source at build time, so that `bcma demo` carries
# its data with it and never reads the source tree at run time.
#   cmake -DINPUT=home.json -DOUTPUT=demo_home_json.cpp -P embed.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")json\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string terminator )json\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from tools/bcma/demo/home.json by embed.cmake: edit that file, not this one.\n"
  "#include <string_view>\n\n"
  "namespace bcma::cli::demo {\n"
  "extern const std::string_view kHomeTemplate;\n"
  "const std::string_view kHomeTemplate = R\"json(${content})json\";\n"
  "}  // namespace bcma::cli::demo\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
