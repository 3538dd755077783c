// The {{...}} dynamic value reference substituter. The first input byte picks how the lookup
// answers (value, unknown key, or a value that itself looks like a reference); the rest is the
// text. Properties: only INVALID_PARAMETER_VALUE ApiErrors escape; text without "{{" comes back
// unchanged, and so does text whose references are all in unknown namespaces; the lookup is
// asked only about known namespaces, at most once per "{{", and its answers are never
// substituted again.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "api/api.hpp"
#include "engine/jobs/references.hpp"

namespace {

using brix::engine::jobs::is_known_namespace;
using brix::engine::jobs::substitute_references;

[[noreturn]] void fail(const char* property, std::string_view text) {
    std::fprintf(stderr, "property violated: %s: \"%.*s\"\n", property, static_cast<int>(text.size()), text.data());
    std::abort();
}

std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string_view::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

enum class Answer { Value, Unknown, Reference };

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto answer = static_cast<Answer>(data[0] % 3);
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    std::size_t calls = 0;
    std::size_t answered_bytes = 0;
    auto lookup = [&](const std::string& reference) -> std::optional<std::string> {
        ++calls;
        if (!is_known_namespace(reference)) fail("lookup asked about an unknown namespace", reference);
        if (reference.empty()) fail("lookup asked about an empty reference", reference);
        switch (answer) {
            case Answer::Value: answered_bytes += reference.size() + 2; return "<" + reference + ">";
            case Answer::Unknown: return std::nullopt;
            case Answer::Reference: answered_bytes += 12; return "{{job.id}}!!";
        }
        return std::nullopt;
    };

    std::string out;
    try {
        out = substitute_references(text, lookup);
    } catch (const brix::api::ApiError& error) {
        if (error.error_code() != "INVALID_PARAMETER_VALUE" || answer != Answer::Unknown || calls == 0)
            fail("unexpected error", text);
        return 0;
    }
    if (calls > count(text, "{{")) fail("more lookups than references", text);
    if ((calls == 0 || text.find("{{") == std::string_view::npos) && out != text) fail("text changed without a lookup", text);
    if (out.size() > text.size() + answered_bytes) fail("output longer than text plus answers", text);
    return 0;
}
