// The request body parser's fast path against nlohmann, which it promises to agree with
// (api/json_body.hpp). Real bodies take the fast path only from 64 KiB on; here it is called
// directly so that small inputs exercise it. Properties: whenever the fast path returns an
// object, nlohmann parses the same text to an equal object; parse_json_body throws nothing but
// nlohmann's exceptions (which brix serve answers with 400).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "api/json_body.hpp"

namespace {

[[noreturn]] void fail(const char* property, std::string_view text) {
    std::fprintf(stderr, "property violated: %s: \"%.*s\"\n", property, static_cast<int>(text.size()), text.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto fast = brix::api::parse_flat_object(text)) {
        brix::api::Json reference;
        try {
            reference = brix::api::Json::parse(text);
        } catch (const brix::api::Json::parse_error&) {
            fail("the fast path accepts what nlohmann refuses", text);
        }
        if (*fast != reference) fail("the fast path and nlohmann disagree", text);
    }
    try {
        (void)brix::api::parse_json_body(text);
    } catch (const brix::api::Json::exception&) {
    }
    return 0;
}
