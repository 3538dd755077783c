#include "server/loader.hpp"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

extern "C" const char brix_serve_plugin_start[];
extern "C" const char brix_serve_plugin_end[];

namespace brix::server {

BrixServeMain load_serve_plugin() {
    int fd = ::memfd_create("brix-serve-plugin", MFD_CLOEXEC);
    if (fd < 0) throw std::runtime_error(std::string("memfd_create: ") + std::strerror(errno));
    const char* data = brix_serve_plugin_start;
    auto remaining = static_cast<std::size_t>(brix_serve_plugin_end - brix_serve_plugin_start);
    while (remaining > 0) {
        auto written = ::write(fd, data, remaining);
        if (written <= 0) throw std::runtime_error(std::string("cannot stage the serve plugin: ") + std::strerror(errno));
        data += written;
        remaining -= static_cast<std::size_t>(written);
    }
    auto path = "/proc/self/fd/" + std::to_string(fd);
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        throw std::runtime_error(std::string("cannot load the serve plugin (is libcpp-httplib0.11 installed?): ") + ::dlerror());
    auto entry = reinterpret_cast<BrixServeMain>(::dlsym(handle, "brix_serve_main"));
    if (!entry) throw std::runtime_error("the serve plugin has no brix_serve_main");
    return entry;
}

}  // namespace brix::server
