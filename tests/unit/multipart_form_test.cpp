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
    const std::string contents = std::string("line one\r\n--not a delimiter\r\n") + '\0' + "end";
    StringSource file(contents);
    MultipartForm form({{"path", "/tmp/a b.csv"}, {"overwrite", "true"}}, "contents", file, contents.size());
    const auto type = form.content_type();
    REQUIRE(type.rfind("multipart/form-data; boundary=brix-", 0) == 0);
    const auto boundary = type.substr(type.find('=') + 1);
    CHECK(boundary.size() == 37);

    const auto body = read_all(form);
    CHECK(body.size() == *form.size());
    CHECK_FALSE(form.file_ended_early());
    CHECK(body == "--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n/tmp/a b.csv\r\n" +
                      "--" + boundary + "\r\nContent-Disposition: form-data; name=\"overwrite\"\r\n\r\ntrue\r\n" + "--" + boundary +
                      "\r\nContent-Disposition: form-data; name=\"contents\"; filename=\"contents\"\r\n" +
                      "Content-Type: application/octet-stream\r\n\r\n" + contents +
                      "\r\n--" + boundary + "--\r\n");
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
    const auto ending = "octet-stream\r\n\r\n0123\r\n--" + type.substr(type.find('=') + 1) + "--\r\n";
    CHECK(body.substr(body.size() - ending.size()) == ending);
}

TEST_CASE("two forms never share a boundary") {
    StringSource a(""), b("");
    CHECK(MultipartForm({}, "f", a, 0).content_type() != MultipartForm({}, "f", b, 0).content_type());
}
