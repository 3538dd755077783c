#include <catch2/catch.hpp>

#include <string>

#include "api/streams.hpp"
#include "client/multipart_form.hpp"

using brix::api::StringSource;
using brix::client::MultipartForm;

namespace {

std::string read_all(MultipartForm& form) {
    std::string body;
    char buffer[7];  // small reads cross every part boundary
    while (auto n = form.read(buffer, sizeof buffer)) body.append(buffer, n);
    return body;
}

}  // namespace

TEST_CASE("a multipart form streams its fields, then the file, then the closing delimiter") {
    std::string contents("line one\r\n--not a delimiter\r\n");
    contents.push_back('\0');
    contents.append("end");
    StringSource file(contents);
    MultipartForm form({{"path", "/tmp/a b.csv"}, {"overwrite", "true"}}, "contents", file, contents.size());
    const auto type = form.content_type();
    REQUIRE(type.rfind("multipart/form-data; boundary=brix-", 0) == 0);
    const auto boundary = type.substr(type.find('=') + 1);
    CHECK(boundary.size() == 37);

    const auto body = read_all(form);
    CHECK(body.size() == *form.size());
    CHECK_FALSE(form.file_ended_early());
    // Built with append: GCC 12 warns (array-bounds) on operator+ chains of long temporaries.
    std::string expected;
    for (const auto& [name, value] : {std::pair{"path", "/tmp/a b.csv"}, std::pair{"overwrite", "true"}})
        expected.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name)
            .append("\"\r\n\r\n").append(value).append("\r\n");
    expected.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"contents\"; filename=\"contents\"\r\n")
        .append("Content-Type: application/octet-stream\r\n\r\n").append(contents).append("\r\n--").append(boundary).append("--\r\n");
    CHECK(body == expected);
}

TEST_CASE("a file that is shorter than announced is reported, and one that grew is cut at its size") {
    StringSource shorter("12345");
    MultipartForm cut({}, "contents", shorter, 10);
    std::string sent = read_all(cut);
    CHECK(cut.file_ended_early());
    CHECK(sent.size() < *cut.size());

    StringSource longer("0123456789");
    MultipartForm capped({}, "contents", longer, 4);
    const auto body = read_all(capped);
    CHECK_FALSE(capped.file_ended_early());
    CHECK(body.size() == *capped.size());
    const auto type = capped.content_type();
    std::string ending("octet-stream\r\n\r\n0123\r\n--");
    ending.append(type.substr(type.find('=') + 1)).append("--\r\n");
    CHECK(body.substr(body.size() - ending.size()) == ending);
}

TEST_CASE("two forms never share a boundary") {
    StringSource a(""), b("");
    CHECK(MultipartForm({}, "f", a, 0).content_type() != MultipartForm({}, "f", b, 0).content_type());
}
