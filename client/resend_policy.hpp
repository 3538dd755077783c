#pragma once
// When a request may be sent again. A request that provably never reached the server (the
// connection could not be made, nothing was sent) or that the server turned away unprocessed
// (429, 503) is always retried. Once a request may have reached the server and the answer was
// lost, only a request whose second sending does what the first did, and answers the same, is
// resent: reads, PUT and PATCH (they set a state), POSTs carrying an idempotency_token (run-now,
// runs/submit), and the POSTs that set a state (mkdirs, reset, edit, secrets put, ...). Anything
// else (jobs/create, token/create, clusters/create, secrets/scopes/create, repos create,
// deletes) would create a second object, mint a second token, or fail falsely: the user is told
// instead how to check what happened.

#include <string>

#include "api/api.hpp"

namespace brix::client {

enum class Delivery {
    NotSent,          // no connection, or not a byte of the request went out
    TurnedAway,       // 429, or 503: the server did not process it
    MaybeProcessed,   // sent, and the answer was lost (dropped connection, timeout)
};

bool may_resend(const api::Request& request, Delivery delivery);

// "the connection was lost after the request was sent; it may have been applied — check with
// brix jobs list --name nightly": the command that shows whether the request took effect.
std::string lost_answer_message(const api::Request& request);

}  // namespace brix::client
