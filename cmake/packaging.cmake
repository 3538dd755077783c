# What `cmake --install` puts where, and the Debian package built from it (`cpack -G DEB`).
#
#   bin/brix, bin/databricks -> brix                       (the link: BRIX_INSTALL_DATABRICKS_LINK)
#   share/man/man1/brix.1.gz                               (written by the binary: brix __man)
#   share/bash-completion/completions/{brix,databricks}    (completions/brix.bash)
#   share/zsh/vendor-completions/_brix                     (completions/_brix)
#   share/fish/vendor_completions.d/brix.fish              (completions/brix.fish)
include(GNUInstallDirs)

option(BRIX_INSTALL_DATABRICKS_LINK "Install `databricks` as a link to brix, so scripts for the Databricks CLIs run unchanged" ON)
set(BRIX_PACKAGE_MAINTAINER "brix maintainers <maintainers@brix.invalid>" CACHE STRING "Maintainer field of the Debian package")

install(TARGETS brix RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(BRIX_INSTALL_DATABRICKS_LINK)
  # A relative link, so that the tree can be moved (DESTDIR, dpkg-deb -x) and still work.
  install(CODE "
    set(link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/databricks\")
    message(STATUS \"Installing: \${link} -> brix\")
    file(CREATE_LINK brix \"\${link}\" SYMBOLIC)")
endif()

# brix(1) comes from the help text of the binary just built, so it always matches the commands.
set(BRIX_MAN_PAGE ${CMAKE_BINARY_DIR}/brix.1)
add_custom_command(OUTPUT ${BRIX_MAN_PAGE}
  COMMAND brix __man ${BRIX_MAN_PAGE}
  DEPENDS brix
  COMMENT "Writing the brix(1) man page")
# Debian policy wants man pages compressed, reproducibly (-n: no name or time stamp).
find_program(BRIX_GZIP gzip)
if(BRIX_GZIP)
  add_custom_command(OUTPUT ${BRIX_MAN_PAGE}.gz
    COMMAND ${BRIX_GZIP} -9 -n -k -f ${BRIX_MAN_PAGE}
    DEPENDS ${BRIX_MAN_PAGE})
  set(BRIX_MAN_INSTALLED ${BRIX_MAN_PAGE}.gz)
else()
  set(BRIX_MAN_INSTALLED ${BRIX_MAN_PAGE})
endif()
add_custom_target(brix_man_page ALL DEPENDS ${BRIX_MAN_INSTALLED})
install(FILES ${BRIX_MAN_INSTALLED} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The completion scripts, for those present in the source tree. The glob is checked again at every
# build (CONFIGURE_DEPENDS), so a script added later is installed without a manual reconfigure; a
# missing one leaves no empty folder behind.
file(GLOB BRIX_COMPLETION_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/completions/*)
set(BRIX_COMPLETIONS ${CMAKE_SOURCE_DIR}/completions)
if(EXISTS ${BRIX_COMPLETIONS}/brix.bash)
  set(bash_names brix)
  if(BRIX_INSTALL_DATABRICKS_LINK)
    # bash-completion loads a command's completion by the command's name.
    list(APPEND bash_names databricks)
  endif()
  foreach(name ${bash_names})
    install(FILES ${BRIX_COMPLETIONS}/brix.bash RENAME ${name} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  endforeach()
endif()
if(EXISTS ${BRIX_COMPLETIONS}/_brix)
  install(FILES ${BRIX_COMPLETIONS}/_brix DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endif()
if(EXISTS ${BRIX_COMPLETIONS}/brix.fish)
  install(FILES ${BRIX_COMPLETIONS}/brix.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
endif()

# The Debian package. Shared libraries the binary links are found by dpkg-shlibdeps; the ones it
# loads with dlopen are not, so they are named here:
# - libcurl4: every command against a workspace (client/curl_library.cpp), so a dependency;
# - python3: runs the tasks of jobs on the local engine, a core feature, so a dependency;
# - libcpp-httplib0.11 and libsqlite3-0: what the `brix serve` plugin links (server/plugin.cpp),
#   and git: `repos` on the local engine; each needed by one command only, so recommended.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME brix)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${BRIX_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Databricks CLI for a workspace or an embedded local engine")
set(CPACK_PACKAGE_DESCRIPTION
    "brix is one fast binary with the commands of both Databricks CLIs (workspace,\n"
    "fs, jobs, runs, repos, secrets, clusters, tokens, configure, auth) and the\n"
    "syntax of either, so scripts written for the legacy databricks-cli or the Go\n"
    "databricks CLI run unchanged. Every command drives a Databricks workspace over\n"
    "its REST API, or an embedded local engine: a workspace tree, DBFS, volumes and\n"
    "jobs whose runs really execute. brix serve puts that engine behind the\n"
    "Databricks REST API for SDKs and CI.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${BRIX_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, libcurl4")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libcpp-httplib0.11, libsqlite3-0, git")
set(CPACK_STRIP_FILES ON)
include(CPack)
