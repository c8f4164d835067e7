// TemplateMiner: online log template mining. Each message is tokenised and masked with the generic
// masker (masker.h), routed through a fixed-depth parse tree (token count, then the first tokens, as
// in Drain) and joined to the most similar template in the leaf, or starts a new one. Templates evolve
// as lines arrive (a token that differs becomes <*>); a template's id never changes once given, and
// the whole set serialises to JSON so ids stay stable across restarts.
//
// Memory is bounded by the number of templates (plus a fixed-size cache of recently seen masked
// signatures), never by the number of lines. One configuration for every system: the options below
// are not meant to be tuned per log source.
// Thread-safety: add() mutates and needs exclusive access; const members may run concurrently with
// each other but not with add().
#pragma once

#include "cairn/common/error.h"
#include "cairn/common/time.h"
#include "cairn/logs/masker.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cairn::logs {

using TemplateId = std::uint32_t; // 1, 2, 3... in order of creation; 0 = none

struct MinerOptions {
    double similarity = 0.5;            // share of a template's constant tokens a line must match
    std::size_t depth = 4;              // tree depth: token count + (depth - 2) leading tokens
    std::size_t maxChildren = 100;      // children per tree node before new tokens route to <*>
    std::size_t maxTemplates = 200000;  // hard cap; past it lines join the closest template or none
    std::size_t cacheEntries = 1 << 16; // signature cache size (cleared when full)
};

struct LogTemplate {
    TemplateId id = 0;
    std::vector<std::string> tokens; // constant tokens, masked tokens ("uid=<*>") and "<*>"
    std::uint64_t count = 0;
    TimeMs firstSeen = 0;
    TimeMs lastSeen = 0;

    // Tokens joined with single spaces.
    std::string text() const;
};

struct MatchResult {
    TemplateId id = 0;
    bool created = false; // the line started a new template
    bool changed = false; // the line generalised an existing template
};

class TemplateMiner {
public:
    explicit TemplateMiner(MinerOptions options = {});
    ~TemplateMiner();
    TemplateMiner(TemplateMiner&&) noexcept;
    TemplateMiner& operator=(TemplateMiner&&) noexcept;

    const MinerOptions& options() const { return m_options; }

    // Learns from one message and returns the template it belongs to.
    MatchResult add(std::string_view message, TimeMs time = 0);
    // The template a message would join, without learning; nullopt when none is similar enough.
    std::optional<TemplateId> match(std::string_view message) const;

    std::size_t size() const { return m_templates.size(); }
    // nullptr for unknown ids. Valid until the next add().
    const LogTemplate* find(TemplateId id) const;
    const std::vector<LogTemplate>& templates() const { return m_templates; }

    // JSON: {"version":1,"options":{...},"templates":[{"id":..,"tokens":[..],"count":..,...}]}.
    std::string toJson() const;
    static Result<TemplateMiner> fromJson(std::string_view json);

private:
    struct Node;
    struct Scratch;
    std::size_t route(const Tokens& t, bool create, Node** leaf) const;
    long bestInLeaf(const Node& leaf, const Tokens& t) const;
    void insert(std::size_t index);

    MinerOptions m_options;
    std::vector<LogTemplate> m_templates; // m_templates[id - 1]
    std::unique_ptr<Node> m_root;
    std::unordered_map<std::uint64_t, TemplateId> m_cache; // masked signature -> template
    std::unique_ptr<Scratch> m_scratch;
};

} // namespace cairn::logs
