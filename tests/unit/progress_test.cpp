#include <catch2/catch.hpp>

#include "cli/output.hpp"
#include "cli/progress.hpp"

using brix::cli::Progress;
using brix::cli::ProgressUnit;

TEST_CASE("a byte transfer shows the bar, the amounts, the rate and the ETA") {
    auto line = Progress::render("fs cp", ProgressUnit::Bytes, 512 << 20, std::uint64_t{1} << 30, "", 4.0, 100);
    CHECK(line.rfind("fs cp  [", 0) == 0);
    CHECK(line.find("512.0 MiB/1.0 GiB") != std::string::npos);
    CHECK(line.find("128.0 MiB/s") != std::string::npos);
    CHECK(line.find("ETA 0:04") != std::string::npos);
    CHECK(line.find("###############---------------") != std::string::npos);  // half of a 30-column bar
}

TEST_CASE("the line never exceeds the terminal and drops the bar first") {
    auto narrow = Progress::render("fs cp", ProgressUnit::Bytes, 10, 100, "", 1.0, 40);
    CHECK(narrow.size() < 40);
    CHECK(narrow.find('[') == std::string::npos);
    auto tiny = Progress::render("a very long label for a tiny terminal", ProgressUnit::Files, 1, 2, "", 1.0, 20);
    CHECK(tiny.size() <= 19);
}

TEST_CASE("files count with a rate, tasks with the elapsed time and no ETA") {
    auto files = Progress::render("import-dir", ProgressUnit::Files, 120, 200, "", 2.0, 120);
    CHECK(files.find("120/200 files") != std::string::npos);
    CHECK(files.find("60 files/s") != std::string::npos);
    CHECK(files.find("ETA 0:01") != std::string::npos);
    auto tasks = Progress::render("run 7", ProgressUnit::Tasks, 2, 4, "RUNNING", 75.0, 120);
    CHECK(tasks.find("RUNNING  2/4 tasks  1:15") != std::string::npos);
    CHECK(tasks.find("ETA") == std::string::npos);
}

TEST_CASE("an unknown total shows the amount without a bar") {
    auto line = Progress::render("export-dir", ProgressUnit::Files, 3, std::nullopt, "", 1.0, 120);
    CHECK(line.find('[') == std::string::npos);
    CHECK(line.find("3 files") != std::string::npos);
}

TEST_CASE("relative times read as people say them") {
    const std::int64_t now = 1'800'000'000'000;
    CHECK(brix::cli::relative_time(now - 10'000, now) == "just now");
    CHECK(brix::cli::relative_time(now - 3 * 60'000, now) == "3 min ago");
    CHECK(brix::cli::relative_time(now - 5 * 3'600'000, now) == "5 h ago");
    CHECK(brix::cli::relative_time(now - 86'400'000, now) == "1 day ago");
    CHECK(brix::cli::relative_time(now + 3 * 86'400'000, now) == "in 3 days");
    CHECK(brix::cli::relative_time(now - 400LL * 86'400'000, now) == brix::cli::iso_time(now - 400LL * 86'400'000).substr(0, 10));
}
