# Compiler settings every bcma target gets, through the bcma_options interface target.
add_library(bcma_options INTERFACE)
add_library(bcma::options ALIAS bcma_options)

target_compile_options(bcma_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
  -Wimplicit-fallthrough)
# GCC 12 at -O2/-O3 reports "potential null pointer dereference" and memcpy overlaps inside
# libstdc++ and Boost.Asio once they are inlined into our code (streambuf, scheduler,
# char_traits): false positives a user would see by the screenful on the README's first command.
# The unoptimised ci build never raised either (-Wnull-dereference needs the optimiser).
target_compile_options(bcma_options INTERFACE
  "$<$<CONFIG:Release,RelWithDebInfo>:-Wno-null-dereference;-Wno-restrict>")
if(CMAKE_UNITY_BUILD)
  # A unity build #includes our .cpp files, so GCC takes a class that uses a type from the
  # file's anonymous namespace for one defined in a header and warns; it is not one.
  target_compile_options(bcma_options INTERFACE -Wno-subobject-linkage)
endif()
if(BCMA_WARNINGS_AS_ERRORS)
  target_compile_options(bcma_options INTERFACE -Werror)
endif()

if(BCMA_SANITIZERS)
  list(JOIN BCMA_SANITIZERS "," _bcma_san)
  # Applied globally so that every object (including GoogleTest mains) agrees on the runtime.
  add_compile_options(-fsanitize=${_bcma_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_bcma_san})
endif()

# bcma_target(<target>): the common settings for a target of ours.
function(bcma_target target)
  target_link_libraries(${target} PRIVATE bcma::options)
endfunction()
