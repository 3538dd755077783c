#include "client/curl_library.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace brix::client {
namespace {

template <typename Function>
void resolve(void* handle, Function& target, const char* name) {
    target = reinterpret_cast<Function>(dlsym(handle, name));
    if (!target) throw std::runtime_error(std::string("libcurl lacks ") + name);
}

CurlLibrary load() {
    void* handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw std::runtime_error(std::string("cannot load libcurl (install libcurl4): ") + dlerror());
    CurlLibrary lib{};
    resolve(handle, lib.global_init, "curl_global_init");
    resolve(handle, lib.easy_init, "curl_easy_init");
    resolve(handle, lib.easy_cleanup, "curl_easy_cleanup");
    resolve(handle, lib.easy_reset, "curl_easy_reset");
    resolve(handle, lib.easy_setopt, "curl_easy_setopt");
    resolve(handle, lib.easy_perform, "curl_easy_perform");
    resolve(handle, lib.easy_getinfo, "curl_easy_getinfo");
    resolve(handle, lib.easy_strerror, "curl_easy_strerror");
    resolve(handle, lib.easy_escape, "curl_easy_escape");
    resolve(handle, lib.free, "curl_free");
    resolve(handle, lib.slist_append, "curl_slist_append");
    resolve(handle, lib.slist_free_all, "curl_slist_free_all");
    lib.global_init(CURL_GLOBAL_DEFAULT);
    return lib;
}

}  // namespace

const CurlLibrary& curl_library() {
    static const CurlLibrary library = load();
    return library;
}

}  // namespace brix::client
