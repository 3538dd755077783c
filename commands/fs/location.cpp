#include "cli/context.hpp"
#include "commands/fs/filer.hpp"

namespace brix::commands::fs {

Location parse_location(const std::string& argument, cli::Context& context) {
    if (argument.rfind("dbfs:", 0) == 0) {
        auto path = argument.substr(5);
        if (path.rfind("//", 0) == 0)
            throw cli::UsageError("The path " + argument + " cannot start with dbfs://. It must start with dbfs:/");
        if (path.empty() || path.front() != '/') throw cli::UsageError("The path " + argument + " must start with dbfs:/");
        if (path == "/Volumes" || path.rfind("/Volumes/", 0) == 0) return {make_volumes_filer(context.api()), path, FilerKind::Volumes};
        return {make_dbfs_filer(context.api()), path, FilerKind::Dbfs};
    }
    if (argument.rfind("/Volumes/", 0) == 0) return {make_volumes_filer(context.api()), argument, FilerKind::Volumes};
    if (argument.rfind("file:", 0) == 0) {
        auto path = argument.substr(5);
        if (path.rfind("//", 0) == 0) path = path.substr(2);
        return {std::make_unique<LocalFiler>(), path, FilerKind::Local};
    }
    auto colon = argument.find(':');
    if (colon != std::string::npos && colon > 1 && argument.find('/') > colon)
        throw cli::UsageError("invalid scheme: " + argument.substr(0, colon) + " (use dbfs:/..., /Volumes/... or a local path)");
    return {std::make_unique<LocalFiler>(), argument, FilerKind::Local};
}

std::unique_ptr<Filer> make_filer(FilerKind kind, api::Api* api) {
    switch (kind) {
    case FilerKind::Dbfs: return make_dbfs_filer(*api);
    case FilerKind::Volumes: return make_volumes_filer(*api);
    case FilerKind::Local: break;
    }
    return std::make_unique<LocalFiler>();
}

std::string child_path(const std::string& parent, const std::string& name) {
    if (parent.empty()) return name;
    return parent.back() == '/' ? parent + name : parent + "/" + name;
}

std::string base_name(const std::string& path) {
    auto trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    auto slash = trimmed.rfind('/');
    return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

}  // namespace brix::commands::fs
