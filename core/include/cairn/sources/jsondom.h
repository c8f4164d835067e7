// parseJsonDom: nlohmann::json::parse for untrusted text (back-end answers, imported files) with the same
// nesting limit as scanJson (512 levels). nlohmann builds one heap node per level, so without the limit a
// body of a few hundred MB of '[' would take tens of GB; the check is one pass, no allocation.
// Errors are thrown as nlohmann::json::parse_error, which every caller already catches at its edge.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace cairn::sources {

inline constexpr std::size_t kMaxJsonDepth = 512;

// Byte offset where the nesting of arrays and objects in text first exceeds maxDepth (brackets inside
// strings do not count), or std::string_view::npos when it never does.
inline std::size_t jsonDepthExceededAt(std::string_view text, std::size_t maxDepth = kMaxJsonDepth) {
    std::size_t depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

template <class Json = nlohmann::json> Json parseJsonDom(std::string_view text) {
    if (const std::size_t at = jsonDepthExceededAt(text); at != std::string_view::npos)
        throw Json::parse_error::create(
            101, at + 1, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels", nullptr);
    return Json::parse(text);
}

} // namespace cairn::sources
