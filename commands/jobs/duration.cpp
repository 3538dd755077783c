// --timeout takes Go durations, as the Databricks CLI does, so `--timeout 1h30m` works in both.
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "cli/context.hpp"
#include "commands/jobs/job_input.hpp"

namespace brix::commands::jobs {
namespace {

// Longer suffixes first, so "ms" is not read as minutes followed by garbage.
constexpr std::pair<std::string_view, double> kUnits[] = {
    {"ns", 1e-6}, {"us", 1e-3}, {"\xC2\xB5s", 1e-3}, {"\xCE\xBCs", 1e-3}, {"ms", 1.0},
    {"s", 1e3},   {"m", 6e4},   {"h", 3.6e6},
};

constexpr double kLongestMs = 9.2e15;  // beyond this, milliseconds no longer fit in int64 arithmetic

std::optional<double> take_number(std::string_view& text) {
    std::size_t end = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
    auto number = text.substr(0, end);
    if (number.empty() || number == "." || number.find('.') != number.rfind('.')) return std::nullopt;
    std::string digits(number);
    if (digits.front() == '.') digits.insert(0, "0");
    if (digits.back() == '.') digits.pop_back();
    double value = 0;
    if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec != std::errc{}) return std::nullopt;
    text.remove_prefix(end);
    return value;
}

std::optional<double> take_unit(std::string_view& text) {
    for (const auto& [suffix, ms] : kUnits)
        if (text.substr(0, suffix.size()) == suffix) {
            text.remove_prefix(suffix.size());
            return ms;
        }
    return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_go_duration(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    if (text == "0") return std::chrono::milliseconds{0};
    if (text.empty()) return std::nullopt;
    double total_ms = 0;
    while (!text.empty()) {
        auto number = take_number(text);
        if (!number) return std::nullopt;
        auto unit = take_unit(text);
        if (!unit) return std::nullopt;
        total_ms += *number * *unit;
        if (total_ms > kLongestMs) return std::nullopt;
    }
    // A negative wait makes no sense for any flag that takes a duration.
    if (negative && total_ms > 0) return std::nullopt;
    return std::chrono::milliseconds{std::llround(total_ms)};
}

std::chrono::milliseconds parse_timeout_flag(const std::string& text) {
    if (auto duration = parse_go_duration(text)) return *duration;
    throw cli::UsageError("invalid --timeout \"" + text + "\": use a duration like 20m, 90s or 1h30m (0 = wait without limit)");
}

std::string format_go_duration(std::chrono::milliseconds duration) {
    auto ms = duration.count();
    if (ms == 0) return "0s";
    if (ms < 1000) return std::to_string(ms) + "ms";
    std::string text;
    if (auto hours = ms / 3'600'000) text += std::to_string(hours) + "h";
    if (ms >= 60'000) text += std::to_string(ms / 60'000 % 60) + "m";
    text += std::to_string(ms / 1000 % 60);
    if (auto fraction = ms % 1000) {
        auto digits = std::to_string(1000 + fraction).substr(1);
        while (digits.back() == '0') digits.pop_back();
        text += "." + digits;
    }
    return text + "s";
}

}  // namespace brix::commands::jobs
