#include "cairn/logs/templateminer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace cairn::logs {

namespace {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

inline void mix(std::uint64_t& h, std::string_view s) {
    // 8 bytes at a time (multiply-xorshift); the token length is mixed in so "a b" and "ab" differ.
    const char* p = s.data();
    std::size_t n = s.size();
    h ^= n * 0x9e3779b97f4a7c15ull;
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * kFnvPrime;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    if (n) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * kFnvPrime;
        h ^= h >> 32;
    }
    h = (h ^ 0x1f) * 0xff51afd7ed558ccdull;
}

template <class Seq> std::uint64_t signatureHash(const Seq& tokens) {
    std::uint64_t h = kFnvOffset ^ tokens.size();
    for (const auto& tok : tokens)
        mix(h, tok);
    return h;
}

// Hash of a token sequence with one position left out (the position is part of the key).
std::uint64_t siblingKey(const std::vector<std::string>& tokens, std::size_t skip) {
    std::uint64_t h = kFnvOffset ^ (tokens.size() * 0x9e3779b97f4a7c15ull) ^ (skip + 1);
    for (std::size_t i = 0; i < tokens.size(); ++i)
        mix(h, i == skip ? std::string_view("\x01") : std::string_view(tokens[i]));
    return h;
}

} // namespace

struct TemplateMiner::Node {
    std::unordered_map<std::string, std::unique_ptr<Node>, StringHash, std::equal_to<>> children;
    std::vector<TemplateId> leaf;
};

struct TemplateMiner::Scratch {
    Tokens tokens;
    std::vector<Node*> leafOf; // leafOf[id - 1]: where a live template sits in the tree
};

std::string LogTemplate::text() const {
    std::string out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i)
            out += ' ';
        out += tokens[i];
    }
    return out;
}

TemplateMiner::TemplateMiner(MinerOptions options)
    : m_options(options)
    , m_root(std::make_unique<Node>())
    , m_scratch(std::make_unique<Scratch>()) {
    m_options.depth = std::max<std::size_t>(m_options.depth, 2);
    m_options.siblings = std::max<std::size_t>(m_options.siblings, 2);
    m_options.maxChildren = std::max<std::size_t>(m_options.maxChildren, 2);
    m_options.cacheEntries = std::max<std::size_t>(m_options.cacheEntries, 16);
}

TemplateMiner::~TemplateMiner() = default;
TemplateMiner::TemplateMiner(TemplateMiner&&) noexcept = default;
TemplateMiner& TemplateMiner::operator=(TemplateMiner&&) noexcept = default;

TemplateId TemplateMiner::resolve(TemplateId id) const {
    if (id == 0 || id > m_templates.size())
        return 0;
    while (m_alias[id - 1] != 0)
        id = m_alias[id - 1];
    return id;
}

const LogTemplate* TemplateMiner::find(TemplateId id) const {
    id = resolve(id);
    return id ? &m_templates[id - 1] : nullptr;
}

std::vector<const LogTemplate*> TemplateMiner::templates() const {
    std::vector<const LogTemplate*> out;
    out.reserve(m_live);
    for (std::size_t i = 0; i < m_templates.size(); ++i)
        if (m_alias[i] == 0)
            out.push_back(&m_templates[i]);
    return out;
}

std::size_t TemplateMiner::memoryBytes() const {
    std::size_t bytes = sizeof(*this) + m_alias.capacity() * sizeof(TemplateId);
    for (const auto& t : m_templates) {
        bytes += sizeof(LogTemplate) + t.tokens.capacity() * sizeof(std::string) +
                 t.learned.capacity() * sizeof(std::size_t);
        for (const auto& tok : t.tokens)
            bytes += tok.capacity() > 15 ? tok.capacity() + 1 : 0; // beyond the small-string buffer
    }
    auto nodeBytes = [](auto&& self, const Node& n) -> std::size_t {
        std::size_t b =
            sizeof(Node) + n.leaf.capacity() * sizeof(TemplateId) + n.children.bucket_count() * sizeof(void*);
        for (const auto& [k, child] : n.children)
            b += 48 + k.size() + self(self, *child); // node of the hash map
        return b;
    };
    bytes += nodeBytes(nodeBytes, *m_root);
    for (const auto& [k, list] : m_siblings)
        bytes += 48 + list.capacity() * sizeof(TemplateId);
    bytes += m_siblings.bucket_count() * sizeof(void*);
    bytes += m_cache.size() * 32 + m_cache.bucket_count() * sizeof(void*);
    bytes += m_scratch->leafOf.capacity() * sizeof(void*) + m_scratch->tokens.arena.capacity();
    return bytes;
}

TemplateId TemplateMiner::lookup(const std::vector<std::string_view>& masked) const {
    // Depth-first over the exact branch and the <*> branch of each level.
    const std::string lenKey = std::to_string(masked.size());
    auto top = m_root->children.find(lenKey);
    if (top == m_root->children.end())
        return 0;
    const std::size_t levels = std::min(m_options.depth - 2, masked.size());
    TemplateId best = 0;
    std::size_t bestWild = ~std::size_t(0);
    auto scanLeaf = [&](const Node& leaf) {
        for (TemplateId id : leaf.leaf) {
            const auto& tpl = m_templates[id - 1].tokens;
            std::size_t wild = m_templates[id - 1].learned.size();
            bool ok = true;
            for (std::size_t i = 0; i < masked.size(); ++i) {
                if (tpl[i] != masked[i]) {
                    ok = false;
                    break;
                }
            }
            if (!ok && wild) {
                // Learned positions accept any token.
                ok = true;
                const auto& learned = m_templates[id - 1].learned;
                for (std::size_t i = 0; i < masked.size() && ok; ++i)
                    ok = tpl[i] == masked[i] || std::find(learned.begin(), learned.end(), i) != learned.end();
            }
            if (ok && (wild < bestWild || (wild == bestWild && id < best))) {
                best = id;
                bestWild = wild;
            }
        }
    };
    auto walk = [&](auto&& self, const Node& node, std::size_t level) -> void {
        if (level == levels) {
            scanLeaf(node);
            return;
        }
        if (auto it = node.children.find(masked[level]); it != node.children.end())
            self(self, *it->second, level + 1);
        if (!isWildcard(masked[level]))
            if (auto it = node.children.find(kWildcard); it != node.children.end())
                self(self, *it->second, level + 1); // learned <*> or a crowded node
    };
    walk(walk, *top->second, 0);
    return best;
}

void TemplateMiner::insertIntoTree(TemplateId id) {
    const auto& tokens = m_templates[id - 1].tokens;
    Node* node = m_root.get();
    auto step = [&](std::string_view key) {
        auto it = node->children.find(key);
        if (it == node->children.end()) {
            if (key != kWildcard && node->children.size() + 1 >= m_options.maxChildren)
                key = kWildcard; // crowded node: park under <*>; lookup checks tokens exactly anyway
            auto& slot = node->children[std::string(key)];
            if (!slot)
                slot = std::make_unique<Node>();
            node = slot.get();
        } else {
            node = it->second.get();
        }
    };
    step(std::to_string(tokens.size()));
    const std::size_t levels = std::min(m_options.depth - 2, tokens.size());
    for (std::size_t k = 0; k < levels; ++k)
        step(tokens[k]);
    node->leaf.push_back(id);
    auto& leafOf = m_scratch->leafOf;
    if (leafOf.size() < id)
        leafOf.resize(id, nullptr);
    leafOf[id - 1] = node;
}

void TemplateMiner::removeFromTree(TemplateId id) {
    Node* leaf = m_scratch->leafOf[id - 1];
    if (!leaf)
        return;
    std::erase(leaf->leaf, id);
    m_scratch->leafOf[id - 1] = nullptr;
}

void TemplateMiner::indexSiblings(TemplateId id) {
    const auto& tokens = m_templates[id - 1].tokens;
    for (std::size_t p = 0; p < tokens.size(); ++p)
        if (!isWildcard(tokens[p]))
            m_siblings[siblingKey(tokens, p)].push_back(id);
}

// Merges `id` with its siblings at the first position where enough distinct values have been seen.
// Returns the surviving id (id itself when nothing merged).
TemplateId TemplateMiner::generalise(TemplateId id) {
    for (std::size_t p = 0; p < m_templates[id - 1].tokens.size(); ++p) {
        const auto& tokens = m_templates[id - 1].tokens;
        if (isWildcard(tokens[p]))
            continue;
        // Enough constant text must remain for the merged template to still say something:
        // "normal", "warning" and "running" are not one event with a variable word.
        std::size_t constants = 0; // tokens other than p without any masked part
        for (std::size_t i = 0; i < tokens.size(); ++i)
            constants += i != p && tokens[i].find(kWildcard) == std::string::npos ? 1 : 0;
        if (constants < m_options.minConstants)
            continue;
        auto it = m_siblings.find(siblingKey(tokens, p));
        if (it == m_siblings.end())
            continue;
        auto& list = it->second;
        // Drop merged-away entries while we are here.
        std::erase_if(list, [&](TemplateId m) { return m_alias[m - 1] != 0; });
        std::vector<TemplateId> members;
        for (TemplateId m : list) {
            const auto& other = m_templates[m - 1].tokens;
            if (isWildcard(other[p]))
                continue;
            bool same = true;
            for (std::size_t i = 0; i < other.size() && same; ++i)
                same = i == p || other[i] == tokens[i];
            if (same && std::find(members.begin(), members.end(), m) == members.end())
                members.push_back(m);
        }
        if (members.size() < m_options.siblings)
            continue;
        const TemplateId survivor = *std::min_element(members.begin(), members.end());
        LogTemplate& s = m_templates[survivor - 1];
        removeFromTree(survivor);
        for (TemplateId m : members) {
            if (m == survivor)
                continue;
            LogTemplate& o = m_templates[m - 1];
            s.count += o.count;
            if (o.count && (s.count == o.count || o.firstSeen < s.firstSeen))
                s.firstSeen = o.firstSeen;
            s.lastSeen = std::max(s.lastSeen, o.lastSeen);
            removeFromTree(m);
            m_alias[m - 1] = survivor;
            --m_live;
        }
        s.tokens[p] = std::string(kWildcard);
        s.learned.push_back(p);
        std::sort(s.learned.begin(), s.learned.end());
        insertIntoTree(survivor);
        indexSiblings(survivor);
        return generalise(survivor);
    }
    return id;
}

MatchResult TemplateMiner::add(std::string_view message, TimeMs time) {
    Tokens& t = m_scratch->tokens;
    tokenize(message, t);
    const std::uint64_t sig = signatureHash(t.masked);
    MatchResult r;
    if (auto it = m_cache.find(sig); it != m_cache.end()) {
        r.id = resolve(it->second);
    } else {
        r.id = lookup(t.masked);
        if (r.id == 0) {
            if (m_templates.size() >= m_options.maxTemplates)
                return r; // at the cap: the line stays unclassified (id 0)
            LogTemplate tpl;
            tpl.id = TemplateId(m_templates.size() + 1);
            tpl.tokens.assign(t.masked.begin(), t.masked.end());
            tpl.firstSeen = time;
            tpl.lastSeen = time;
            m_templates.push_back(std::move(tpl));
            m_alias.push_back(0);
            ++m_live;
            const TemplateId id = m_templates.back().id;
            insertIntoTree(id);
            indexSiblings(id);
            r.created = true;
            r.id = generalise(id);
            r.changed = r.id != id;
        }
        if (m_cache.size() >= m_options.cacheEntries)
            m_cache.clear();
        m_cache.emplace(sig, r.id);
    }
    LogTemplate& tpl = m_templates[r.id - 1];
    if (tpl.count == 0 || time < tpl.firstSeen)
        tpl.firstSeen = time;
    tpl.lastSeen = std::max(tpl.lastSeen, time);
    ++tpl.count;
    return r;
}

std::optional<TemplateId> TemplateMiner::match(std::string_view message) const {
    Tokens t;
    tokenize(message, t);
    if (auto it = m_cache.find(signatureHash(t.masked)); it != m_cache.end())
        return resolve(it->second);
    const TemplateId id = lookup(t.masked);
    if (id == 0)
        return std::nullopt;
    return id;
}

std::string TemplateMiner::toJson() const {
    nlohmann::json j;
    j["version"] = 1;
    j["options"] = {{"siblings", m_options.siblings},
                    {"minConstants", m_options.minConstants},
                    {"depth", m_options.depth},
                    {"maxChildren", m_options.maxChildren},
                    {"maxTemplates", m_options.maxTemplates}};
    auto& arr = j["templates"] = nlohmann::json::array();
    for (std::size_t i = 0; i < m_templates.size(); ++i) {
        const auto& t = m_templates[i];
        nlohmann::json jt = {{"id", t.id},
                             {"tokens", t.tokens},
                             {"count", t.count},
                             {"firstSeen", t.firstSeen},
                             {"lastSeen", t.lastSeen}};
        if (!t.learned.empty())
            jt["learned"] = t.learned;
        if (m_alias[i])
            jt["mergedInto"] = m_alias[i];
        arr.push_back(std::move(jt));
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<TemplateMiner> TemplateMiner::fromJson(std::string_view json) {
    try {
        const auto j = nlohmann::json::parse(json);
        const int version = j.value("version", 0);
        if (version > 1)
            return fail(ErrorCode::VersionTooNew, "The template set was written by a newer Cairn.",
                        "version " + std::to_string(version));
        if (version < 1)
            return fail(ErrorCode::Parse, "The template set has no version.");
        MinerOptions o;
        if (j.contains("options")) {
            const auto& jo = j.at("options");
            o.siblings = jo.value("siblings", o.siblings);
            o.minConstants = jo.value("minConstants", o.minConstants);
            o.depth = jo.value("depth", o.depth);
            o.maxChildren = jo.value("maxChildren", o.maxChildren);
            o.maxTemplates = jo.value("maxTemplates", o.maxTemplates);
        }
        TemplateMiner m(o);
        for (const auto& jt : j.at("templates")) {
            LogTemplate t;
            t.id = jt.at("id").get<TemplateId>();
            t.tokens = jt.at("tokens").get<std::vector<std::string>>();
            t.count = jt.value("count", std::uint64_t{0});
            t.firstSeen = jt.value("firstSeen", TimeMs{0});
            t.lastSeen = jt.value("lastSeen", TimeMs{0});
            if (jt.contains("learned"))
                t.learned = jt.at("learned").get<std::vector<std::size_t>>();
            for (std::size_t p : t.learned)
                if (p >= t.tokens.size())
                    return fail(ErrorCode::Corrupt, "A template marks a position it does not have.",
                                "template " + std::to_string(t.id));
            if (t.id != m.m_templates.size() + 1)
                return fail(ErrorCode::Corrupt, "The template set has ids out of sequence.",
                            "template " + std::to_string(t.id));
            const TemplateId into = jt.value("mergedInto", TemplateId{0});
            if (into >= t.id && into != 0)
                return fail(ErrorCode::Corrupt, "A template is merged into a later one.",
                            "template " + std::to_string(t.id));
            m.m_templates.push_back(std::move(t));
            m.m_alias.push_back(into);
        }
        for (std::size_t i = 0; i < m.m_templates.size(); ++i) {
            if (m.m_alias[i] != 0)
                continue;
            ++m.m_live;
            m.insertIntoTree(TemplateId(i + 1));
            m.indexSiblings(TemplateId(i + 1));
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::Parse, "The template set is not valid JSON of the expected shape.", e.what());
    }
}

} // namespace cairn::logs
