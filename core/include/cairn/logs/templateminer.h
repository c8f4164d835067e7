// TemplateMiner: online log template mining. Each message is tokenised and masked with the generic
// masker (masker.h); lines with the same masked token sequence share a template. Word tokens the
// masker keeps (user names, day names, states) are generalised by evidence, not by a similarity
// threshold: when `siblings` templates differ from each other in exactly one position, that
// position becomes <*> and the templates merge (the oldest id survives, the others become aliases of
// it). Templates are found through a fixed-depth parse tree (token count, then the leading tokens,
// as in Drain) that also follows <*> branches. Templates evolve as lines arrive; a template id never
// changes meaning: a merged id resolves to its survivor, and the whole set, aliases included,
// serialises to JSON so ids stay stable across restarts.
//
// Memory is bounded by the number of templates (plus a fixed-size cache of recently seen masked
// signatures), never by the number of lines. One configuration for every system: the options are
// not meant to be tuned per log source.
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
    std::size_t siblings = 4;           // templates differing in one position that prove it variable
    std::size_t minConstants = 3;       // plain words that must remain after such a merge
    std::size_t depth = 4;              // tree depth: token count + (depth - 2) leading tokens
    std::size_t maxChildren = 100;      // children per tree node before new tokens route to <*>
    std::size_t maxTemplates = 200000;  // hard cap; past it lines join the closest template or none
    std::size_t cacheEntries = 1 << 16; // signature cache size (cleared when full)
};

struct LogTemplate {
    TemplateId id = 0;
    std::vector<std::string> tokens; // constant tokens, masked tokens ("uid=<*>") and "<*>"
    // Positions whose <*> was learned from sibling templates (any word matches there); other <*>
    // positions came from the masker and match only masked tokens.
    std::vector<std::size_t> learned;
    std::uint64_t count = 0;
    TimeMs firstSeen = 0;
    TimeMs lastSeen = 0;

    // Tokens joined with single spaces.
    std::string text() const;
};

struct MatchResult {
    TemplateId id = 0;
    bool created = false; // the line started a new template
    bool changed = false; // the line made templates merge (id is the survivor)
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

    // Live templates (merged-away ids excluded).
    std::size_t size() const { return m_live; }
    // Follows merges: the live template an id (old or current) now belongs to; 0 for unknown ids.
    TemplateId resolve(TemplateId id) const;
    // The live template for an id (resolved); nullptr for unknown ids. Valid until the next add().
    const LogTemplate* find(TemplateId id) const;
    // Live templates in id order.
    std::vector<const LogTemplate*> templates() const;
    // Approximate bytes held by the miner (templates, tree, sibling index, signature cache): grows with
    // templates, never with lines.
    std::size_t memoryBytes() const;

    // JSON: {"version":1,"options":{...},"templates":[{"id":..,"tokens":[..],"count":..,...}]}.
    std::string toJson() const;
    static Result<TemplateMiner> fromJson(std::string_view json);

private:
    struct Node;
    struct Scratch;
    TemplateId lookup(const std::vector<std::string_view>& masked) const;
    void insertIntoTree(TemplateId id);
    void removeFromTree(TemplateId id);
    void indexSiblings(TemplateId id);
    TemplateId generalise(TemplateId id);

    MinerOptions m_options;
    std::vector<LogTemplate> m_templates; // m_templates[id - 1], merged ones included
    std::vector<TemplateId> m_alias;      // m_alias[id - 1]: 0 while live, else the id it merged into
    std::size_t m_live = 0;
    std::unordered_map<std::uint64_t, std::vector<TemplateId>> m_siblings; // template minus one position
    std::unique_ptr<Node> m_root;
    std::unordered_map<std::uint64_t, TemplateId> m_cache; // masked signature -> template
    std::unique_ptr<Scratch> m_scratch;
};

} // namespace cairn::logs
