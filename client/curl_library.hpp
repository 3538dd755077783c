#pragma once
// libcurl, loaded on first use. Linking it pulls ~35 shared libraries (TLS, Kerberos, LDAP, ...)
// whose loading costs about 4 ms at every start; only remote commands need them.

#include <curl/curl.h>

namespace brix::client {

struct CurlLibrary {
    decltype(&::curl_global_init) global_init;
    decltype(&::curl_easy_init) easy_init;
    decltype(&::curl_easy_cleanup) easy_cleanup;
    decltype(&::curl_easy_reset) easy_reset;
    decltype(&::curl_easy_setopt) easy_setopt;
    decltype(&::curl_easy_perform) easy_perform;
    decltype(&::curl_easy_getinfo) easy_getinfo;
    decltype(&::curl_easy_strerror) easy_strerror;
    decltype(&::curl_easy_escape) easy_escape;
    decltype(&::curl_free) free;
    decltype(&::curl_slist_append) slist_append;
    decltype(&::curl_slist_free_all) slist_free_all;
};

// Throws std::runtime_error when libcurl cannot be loaded.
const CurlLibrary& curl_library();

}  // namespace brix::client
