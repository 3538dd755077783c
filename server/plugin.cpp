// The entry point of the `brix serve` plugin. The server links cpp-httplib, whose shared library
// pulls in OpenSSL and brotli (about 2.5 ms at every start); so it is built as a module that the
// brix binary carries inside itself and loads only for `brix serve`. Only C types cross.
#include "server/http_server.hpp"
#include "server/plugin.h"

extern "C" int brix_serve_main(const BrixServeOptions* options) {
    brix::server::ServeOptions serve;
    serve.host = options->host;
    serve.port = options->port;
    serve.root = options->root;
    if (options->token_file && *options->token_file) serve.token_file = options->token_file;
    serve.allow_remote = options->allow_remote != 0;
    serve.threads = options->threads;
    try {
        return brix::server::serve(serve);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "Error: %s\n", error.what());
        return 1;
    }
}
