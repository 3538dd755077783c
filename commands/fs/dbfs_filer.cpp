// DBFS through the DBFS API 2.0.
#include <cstdio>

#include "cli/terminal.hpp"
#include "commands/fs/filer.hpp"

namespace brix::commands::fs {
namespace {

using api::Method;

Entry to_entry(const api::Json& info) {
    return Entry{info.value("path", ""), info.value("is_dir", false), info.value("file_size", std::uint64_t{0}),
                 info.value("modification_time", std::int64_t{0})};
}

class DbfsFiler : public Filer {
public:
    explicit DbfsFiler(api::Api& api) : api_(api) {}

    std::optional<Entry> stat(const std::string& path) override {
        try {
            return to_entry(api_.call(Method::Get, "/api/2.0/dbfs/get-status", {{"path", path}}));
        } catch (const api::ApiError& error) {
            if (error.http_status() == 404) return std::nullopt;
            throw;
        }
    }

    std::vector<Entry> list(const std::string& path) override {
        std::vector<Entry> entries;
        for (const auto& info : api_.call(Method::Get, "/api/2.0/dbfs/list", {{"path", path}}).value("files", api::Json::array()))
            entries.push_back(to_entry(info));
        return entries;
    }

    void mkdirs(const std::string& path) override { api_.call(Method::Post, "/api/2.0/dbfs/mkdirs", {}, {{"path", path}}); }

    // Large deletes answer 503 PARTIAL_DELETE after a while; calling again continues them.
    void remove(const std::string& path, bool recursive) override {
        // The progress message is redrawn in place on a terminal, a line each where it cannot be.
        bool redraw = cli::cursor_control_enabled(stderr);
        bool drawn = false;
        for (;;) {
            try {
                api_.call(Method::Post, "/api/2.0/dbfs/delete", {}, {{"path", path}, {"recursive", recursive}});
                if (drawn) std::fputs("\r\033[K", stderr);
                return;
            } catch (const api::ApiError& error) {
                if (error.error_code() != "PARTIAL_DELETE") throw;
                std::fprintf(stderr, redraw ? "\r\033[K%s" : "%s\n", error.message().c_str());
                drawn = redraw;
            }
        }
    }

    void read(const std::string& path, api::ByteSink& sink) override {
        api_.download({Method::Get, "/api/2.0/dbfs/read", {{"path", path}}, nullptr}, sink);
    }

    void write(const std::string& path, api::ByteSource& source, bool overwrite) override {
        api_.upload({Method::Post, "/api/2.0/dbfs/put", {{"path", path}, {"overwrite", overwrite ? "true" : "false"}}, nullptr},
                    source);
    }

    std::string display(const std::string& path) const override { return "dbfs:" + path; }

private:
    api::Api& api_;
};

}  // namespace

std::unique_ptr<Filer> make_dbfs_filer(api::Api& api) { return std::make_unique<DbfsFiler>(api); }

}  // namespace brix::commands::fs
