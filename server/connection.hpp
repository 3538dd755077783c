#pragma once
// The server's side of one client connection, under cpp-httplib's request parsing.
//
// Debian's cpp-httplib (0.11) reads a request body only for methods that "expect" one, so a GET
// carrying its parameters as a JSON body — as older Databricks clients send them — would have that
// body parsed as the next request. The connection's stream therefore looks at each request's
// header block first: a GET or HEAD with a body is passed on as a POST marked `X-Brix-Method: GET`
// (a marker clients cannot forge: theirs is dropped), and the handler restores the method.

#include <httplib.h>

#include "server/get_body_rewrite.hpp"

namespace brix::server {

// An httplib::Server whose connections carry the stream above.
class BrixHttpServer : public httplib::Server {
private:
    bool process_and_close_socket(socket_t sock) override;
};

}  // namespace brix::server
