#include "cairn/logs/logformat.h"

#include <cstring>

namespace cairn::logs {

namespace {

constexpr std::size_t kMatchBudget = 20000; // recursion steps per line before we call it unmatched

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

} // namespace

Result<LogFormat> LogFormat::compile(std::string_view format) {
    LogFormat f;
    f.m_text = std::string(format);
    std::vector<std::size_t> open; // indices of group nodes awaiting ')'
    bool mergeable = false;        // false right after a group boundary: never extend a literal across it
    auto appendLiteral = [&](char c) {
        if (!mergeable || f.m_nodes.empty() || f.m_nodes.back().kind != Node::Kind::Literal)
            f.m_nodes.push_back(Node{Node::Kind::Literal, {}, -1, -1});
        f.m_nodes.back().literal += c;
        mergeable = true;
    };
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '(' || c == ')')
            mergeable = false;
        if (c == '<') {
            std::size_t j = i + 1;
            while (j < format.size() && isNameChar(format[j]))
                ++j;
            if (j < format.size() && format[j] == '>' && j > i + 1) {
                std::string name(format.substr(i + 1, j - i - 1));
                if (f.fieldIndex(name) >= 0)
                    return fail(ErrorCode::InvalidArgument,
                                "The log format names the field <" + name + "> twice.", std::string(format));
                f.m_fields.push_back(name);
                f.m_nodes.push_back(Node{Node::Kind::Field, {}, int(f.m_fields.size()) - 1, -1});
                i = j;
                continue;
            }
            appendLiteral(c);
        } else if (c == '\\') {
            if (i + 1 >= format.size())
                return fail(ErrorCode::InvalidArgument, "The log format ends with a lone backslash.",
                            std::string(format));
            const char e = format[++i];
            if (e == 's')
                f.m_nodes.push_back(Node{Node::Kind::Space, {}, -1, -1});
            else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
                return fail(ErrorCode::InvalidArgument,
                            std::string("The log format uses the escape \\") + e +
                                ", which is not supported (only \\s and escaped punctuation are).",
                            std::string(format));
            else
                appendLiteral(e);
        } else if (c == ' ') {
            while (i + 1 < format.size() && format[i + 1] == ' ')
                ++i;
            f.m_nodes.push_back(Node{Node::Kind::Space, {}, -1, -1});
        } else if (c == '(') {
            open.push_back(f.m_nodes.size());
            f.m_nodes.push_back(Node{Node::Kind::Group, {}, -1, -1});
        } else if (c == ')') {
            if (open.empty())
                return fail(ErrorCode::InvalidArgument, "The log format has a ')' without a matching '('.",
                            std::string(format));
            Node& g = f.m_nodes[open.back()];
            open.pop_back();
            g.end = int(f.m_nodes.size());
            if (i + 1 < format.size() && format[i + 1] == '?') {
                g.kind = Node::Kind::Optional;
                ++i;
            }
        } else if ((c == '^' && i == 0) || (c == '$' && i + 1 == format.size())) {
            continue; // anchors: matching is always anchored at both ends
        } else if (std::strchr("?*+[]{}|^$", c)) {
            return fail(ErrorCode::InvalidArgument,
                        std::string("The log format uses the regex character '") + c +
                            "', which is not supported; escape it with a backslash to match it literally.",
                        std::string(format));
        } else {
            appendLiteral(c);
        }
    }
    if (!open.empty())
        return fail(ErrorCode::InvalidArgument, "The log format has a '(' without a matching ')'.",
                    std::string(format));
    f.m_messageField = f.fieldIndex("Content");
    for (std::size_t i = 0; i < f.m_nodes.size(); ++i)
        if (f.m_nodes[i].kind == Node::Kind::Field)
            f.m_lastField = f.m_nodes[i].field;
    if (f.m_messageField < 0)
        f.m_messageField = f.m_lastField;
    return f;
}

int LogFormat::fieldIndex(std::string_view name) const {
    for (std::size_t i = 0; i < m_fields.size(); ++i)
        if (m_fields[i] == name)
            return int(i);
    return -1;
}

bool LogFormat::matchFrom(std::size_t node, std::string_view line, std::size_t pos, std::size_t& budget,
                          std::vector<std::string_view>& values) const {
    if (budget == 0)
        return false;
    --budget;
    while (node < m_nodes.size()) {
        const Node& n = m_nodes[node];
        switch (n.kind) {
        case Node::Kind::Literal:
            if (line.size() - pos < n.literal.size() || line.compare(pos, n.literal.size(), n.literal) != 0)
                return false;
            pos += n.literal.size();
            ++node;
            break;
        case Node::Kind::Space:
            if (pos >= line.size() || !isSpace(line[pos]))
                return false;
            while (pos < line.size() && isSpace(line[pos]))
                ++pos;
            ++node;
            break;
        case Node::Kind::Group:
            ++node;
            break;
        case Node::Kind::Optional: {
            if (matchFrom(node + 1, line, pos, budget, values))
                return true;
            // Skipping the group: fields inside it stay empty.
            for (int k = int(node) + 1; k < n.end; ++k)
                if (m_nodes[k].kind == Node::Kind::Field)
                    values[m_nodes[k].field] = {};
            node = std::size_t(n.end);
            break;
        }
        case Node::Kind::Field: {
            const std::size_t limit =
                n.field == m_lastField ? line.size() : std::min(line.size(), pos + kMaxHeaderFieldBytes);
            // Lazy: the shortest field that lets the rest match. Jump straight to positions where the
            // next node can start.
            const Node* next = node + 1 < m_nodes.size() ? &m_nodes[node + 1] : nullptr;
            if (!next) {
                values[n.field] = line.substr(pos);
                return true;
            }
            for (std::size_t end = pos; end <= limit; ++end) {
                if (next->kind == Node::Kind::Literal) {
                    const void* hit = end < line.size()
                                          ? std::memchr(line.data() + end, next->literal[0], limit - end)
                                          : nullptr;
                    if (!hit)
                        return false;
                    end = std::size_t(static_cast<const char*>(hit) - line.data());
                } else if (next->kind == Node::Kind::Space) {
                    while (end < limit && !isSpace(line[end]))
                        ++end;
                    if (end >= line.size())
                        return false;
                }
                values[n.field] = line.substr(pos, end - pos);
                if (matchFrom(node + 1, line, end, budget, values))
                    return true;
                if (budget == 0)
                    return false;
            }
            return false;
        }
        }
    }
    return pos == line.size();
}

void LogFormat::match(std::string_view line, ParsedLine& out) const {
    out.values.assign(m_fields.size(), std::string_view{});
    if (m_nodes.empty()) {
        out.matched = true;
        out.message = line;
        return;
    }
    std::size_t budget = kMatchBudget;
    out.matched = matchFrom(0, line, 0, budget, out.values);
    if (out.matched) {
        out.message = m_messageField >= 0 ? out.values[std::size_t(m_messageField)] : line;
    } else {
        out.values.assign(m_fields.size(), std::string_view{});
        out.message = line;
    }
}

} // namespace cairn::logs
