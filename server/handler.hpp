#pragma once

namespace httplib {
class Server;
}

namespace brix::server {

struct ServeOptions;

// Routes every HTTP request to the engine's router, with authentication, liberal parsing of
// what legacy clients send, streamed bodies for uploads and downloads, and Databricks errors.
void install_handlers(httplib::Server& server, const ServeOptions& options);

}  // namespace brix::server
