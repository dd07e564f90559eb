# Fails when a file of layer LAYER includes a header of a layer it does not link (an upward or sideways include).
cmake_minimum_required(VERSION 3.25)
# Run at build time by sb_layer() in src/CMakeLists.txt: -DLAYER=name -DALLOWED=a;b;c -DLAYERS=all;layers
# -DFILES=file;... -DSTAMP=path.
set(violations "")
foreach(file IN LISTS FILES)
  file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[a-z_]+/")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]+\"([a-z_]+)/.*$" "\\1" target "${line}")
    if(target IN_LIST LAYERS AND NOT target IN_LIST ALLOWED)
      string(APPEND violations "\n  ${file}: ${line}  (layer ${LAYER} may include only: ${ALLOWED})")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "layering: an include reaches a layer that ${LAYER} does not link:${violations}")
endif()
file(WRITE "${STAMP}" "ok\n")
