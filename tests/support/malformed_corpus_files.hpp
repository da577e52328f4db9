#pragma once
// The hand-written part of the malformed corpus: one raw HTTP request per
// file under tests/corpus/malformed/, for cases easier to write than to
// generate. The suite that includes this defines FLIGHTBOOK_DOCS_DIR; the
// folder is found beside it.
//
// File format (tests/corpus/malformed/README.md): the name starts with the
// service it targets (`flight-`, `booking-`, `payment-`, or `any-` for all
// three) and ends in `.http`. Leading lines starting with `#` are comments.
// In the head every line end becomes CRLF; the body (after the first empty
// line) is sent as written without the file's last newline. Everywhere,
// `\xNN` is the byte NN and `\\` a backslash; `{{TOKEN}}` is the flight
// service's token and `{{LENGTH}}` the body's length in bytes.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "malformed_corpus.hpp"

namespace flightbook::testing::corpus {

inline std::filesystem::path corpus_dir() {
    return std::filesystem::path(FLIGHTBOOK_DOCS_DIR) / ".." / "tests" / "corpus" / "malformed";
}

/// `\xNN` and `\\` decoded; anything else kept.
inline std::string unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
            out += '\\';
            ++i;
        } else if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0 &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 3])) != 0) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 2, 2)), nullptr, 16));
            i += 3;
        } else {
            out += text[i];
        }
    }
    return out;
}

inline void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
}

/// One file's request as bytes.
inline std::string request_from_file(const std::string& text, std::string_view token) {
    std::istringstream in(text);
    std::string line;
    std::string head;
    std::string body;
    bool in_body = false;
    bool started = false;
    while (std::getline(in, line)) {
        if (in_body) {
            body += line + "\n";
            continue;
        }
        if (!started && line.starts_with("#")) continue;
        started = true;
        head += line + "\r\n";
        if (line.empty()) in_body = true;
    }
    if (!body.empty()) body.pop_back();  // the file's last newline
    body = unescape(body);
    replace_all(head, "{{TOKEN}}", token);
    replace_all(head, "{{LENGTH}}", std::to_string(body.size()));
    return unescape(head) + body;
}

/// The hand-written requests for `service`, named by their file.
inline std::vector<MalformedRequest> corpus_files(std::string_view service,
                                                  std::string_view token) {
    const std::string prefix(service.substr(0, service.find('-')));
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(corpus_dir())) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".http") continue;
        if (name.starts_with(prefix + "-") || name.starts_with("any-")) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<MalformedRequest> out;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        out.push_back({"file " + file.filename().string(), request_from_file(text.str(), token),
                       Expect::kClientError});
    }
    return out;
}

}  // namespace flightbook::testing::corpus
