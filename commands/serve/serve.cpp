// `brix serve`: the one command that is not a REST call; it runs the engine as a server.
#include <CLI/CLI.hpp>

#include <filesystem>

#include "cli/context.hpp"
#include "commands/serve/serve.hpp"
#include "server/loader.hpp"

namespace brix::commands::serve {

void add_group(CLI::App& app, cli::Context& context) {
    struct ServeFlags {
        std::string host = "127.0.0.1";
        int port = 8080;
        bool allow_remote = false;
        int threads = 64;
    };
    auto options = std::make_shared<ServeFlags>();
    auto root = std::make_shared<std::string>();
    auto token_file = std::make_shared<std::string>();
    auto* serve = app.add_subcommand("serve", "Serve the local engine over the Databricks REST API (for SDKs, CLIs, CI)");
    serve->add_option("--host", options->host, "Address to listen on (default 127.0.0.1)");
    serve->add_option("--port", options->port, "Port (default 8080; 0 picks a free one and prints it)");
    serve->add_option("--root", *root, "Engine root (default: the local engine of the active profile)");
    serve->add_option("--token-file", *token_file, "Accept the token in this file, or write a new one there");
    serve->add_flag("--allow-remote", options->allow_remote, "Allow a non-loopback --host");
    serve->add_option("--threads", options->threads, "Most requests served at once, slow ones included (default 64)")->check(CLI::Range(1, 256));
    serve->footer("Every request needs 'Authorization: Bearer <token>' with a token of this root (brix tokens create).\n"
                  "Examples:\n  brix serve --port 8080 --token-file ./token\n"
                  "  DATABRICKS_HOST=http://127.0.0.1:8080 DATABRICKS_TOKEN=$(cat token) brix workspace ls /");
    serve->callback([&context, options, root, token_file] {
        // Tasks run in folders of their own: a relative --root is made absolute here, once.
        std::string engine_root = root->empty() ? "" : std::filesystem::absolute(*root).lexically_normal().string();
        if (engine_root.empty()) {
            const auto& config = context.config();
            if (config.backend != cli::Backend::Local)
                throw cli::UsageError("the active profile points at a workspace (" + config.get("host") + "); pass --root DIR");
            engine_root = config.local_root;
        }
        auto serve_main = server::load_serve_plugin();
        BrixServeOptions plugin_options{options->host.c_str(), options->port, engine_root.c_str(), token_file->c_str(),
                                        options->allow_remote ? 1 : 0, options->threads};
        context.exit_code = static_cast<cli::ExitCode>(serve_main(&plugin_options));
    });
}

}  // namespace brix::commands::serve
