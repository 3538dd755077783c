// Unity Catalog volumes through the Files API.
#include <cstdlib>

#include "commands/fs/filer.hpp"
#include "commands/page_guard.hpp"

namespace brix::commands::fs {
namespace {

using api::Method;

class VolumesFiler : public Filer {
public:
    explicit VolumesFiler(api::Api& api) : api_(api) {}

    std::optional<Entry> stat(const std::string& path) override {
        if (auto headers = probe("/api/2.0/fs/files" + path))
            return Entry{path, false, std::strtoull(headers->value("Content-Length", "0").c_str(), nullptr, 10), 0};
        if (probe("/api/2.0/fs/directories" + path)) return Entry{path, true, 0, 0};
        return std::nullopt;
    }

    std::vector<Entry> list(const std::string& path) override {
        std::vector<Entry> entries;
        std::string token;
        PageGuard guard("GET /api/2.0/fs/directories" + path);
        do {
            api::Query query;
            if (!token.empty()) query.emplace_back("page_token", guard.next_token(token));
            auto page = api_.call(Method::Get, "/api/2.0/fs/directories" + path, query);
            for (const auto& item : page.value("contents", api::Json::array()))
                entries.push_back(Entry{item.value("path", ""), item.value("is_directory", false),
                                        item.value("file_size", std::uint64_t{0}), item.value("last_modified", std::int64_t{0})});
            token = page.value("next_page_token", "");
        } while (!token.empty());
        return entries;
    }

    void mkdirs(const std::string& path) override { api_.call(Method::Put, "/api/2.0/fs/directories" + path); }

    // The Files API deletes only empty folders: empty them first, depth first.
    void remove(const std::string& path, bool recursive) override {
        auto entry = stat(path);
        if (!entry) return;
        if (!entry->is_dir) {
            api_.call(Method::Delete, "/api/2.0/fs/files" + path);
            return;
        }
        if (recursive)
            for (const auto& child : list(path)) remove(child.path, true);
        api_.call(Method::Delete, "/api/2.0/fs/directories" + path);
    }

    void read(const std::string& path, api::ByteSink& sink) override {
        api_.download({Method::Get, "/api/2.0/fs/files" + path, {}, nullptr}, sink);
    }

    void write(const std::string& path, api::ByteSource& source, bool overwrite) override {
        api_.upload({Method::Put, "/api/2.0/fs/files" + path, {{"overwrite", overwrite ? "true" : "false"}}, nullptr}, source);
    }

    std::string display(const std::string& path) const override { return path; }

private:
    std::optional<api::Json> probe(const std::string& route) {
        try {
            return api_.call(Method::Head, route);
        } catch (const api::ApiError& error) {
            if (error.http_status() == 404) return std::nullopt;
            throw;
        }
    }

    api::Api& api_;
};

}  // namespace

std::unique_ptr<Filer> make_volumes_filer(api::Api& api) { return std::make_unique<VolumesFiler>(api); }

}  // namespace brix::commands::fs
