#include "cairn/logs/templateminer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace cairn::logs {

namespace {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

std::uint64_t signatureHash(const Tokens& t) {
    std::uint64_t h = 1469598103934665603ull ^ t.size();
    for (auto tok : t.masked) {
        for (unsigned char c : tok) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff;
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace

struct TemplateMiner::Node {
    std::unordered_map<std::string, std::unique_ptr<Node>, StringHash, std::equal_to<>> children;
    std::vector<TemplateId> leaf;
};

struct TemplateMiner::Scratch {
    Tokens tokens;
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
    if (m_options.depth < 2)
        m_options.depth = 2;
}

TemplateMiner::~TemplateMiner() = default;
TemplateMiner::TemplateMiner(TemplateMiner&&) noexcept = default;
TemplateMiner& TemplateMiner::operator=(TemplateMiner&&) noexcept = default;

const LogTemplate* TemplateMiner::find(TemplateId id) const {
    if (id == 0 || id > m_templates.size())
        return nullptr;
    return &m_templates[id - 1];
}

// Walks (and with `create`, grows) the tree for a token sequence. Returns 1 and sets *leaf when a leaf
// was reached.
std::size_t TemplateMiner::route(const Tokens& t, bool create, Node** leaf) const {
    Node* node = m_root.get();
    const std::string lenKey = std::to_string(t.size());
    auto step = [&](std::string_view key) -> Node* {
        auto it = node->children.find(key);
        if (it != node->children.end())
            return it->second.get();
        if (!create) {
            auto wild = node->children.find(kWildcard);
            return wild == node->children.end() ? nullptr : wild->second.get();
        }
        if (key != kWildcard && node->children.size() + 1 >= m_options.maxChildren)
            key = kWildcard;
        auto& slot = node->children[std::string(key)];
        if (!slot)
            slot = std::make_unique<Node>();
        return slot.get();
    };
    node = step(lenKey);
    if (!node)
        return 0;
    const std::size_t levels = std::min(m_options.depth - 2, t.size());
    for (std::size_t k = 0; k < levels && node; ++k)
        node = step(t.variable[k] ? kWildcard : t.masked[k]);
    if (!node)
        return 0;
    *leaf = node;
    return 1;
}

long TemplateMiner::bestInLeaf(const Node& leaf, const Tokens& t) const {
    long best = -1;
    double bestSim = -1.0;
    std::size_t bestParams = 0;
    for (TemplateId id : leaf.leaf) {
        const LogTemplate& tpl = m_templates[id - 1];
        std::size_t same = 0, params = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (isWildcard(tpl.tokens[i]))
                ++params;
            else if (tpl.tokens[i] == t.masked[i])
                ++same;
        }
        static const int mode = std::getenv("CAIRN_EXP") ? std::atoi(std::getenv("CAIRN_EXP")) : 0;
        double sim = t.size() ? double(same) / double(t.size()) : 1.0;
        if (mode == 1)
            sim = t.size() ? double(same + params) / double(t.size()) : 1.0;
        if (mode == 2)
            sim = t.size() > params ? double(same) / double(t.size() - params) : 1.0;
        if (sim > bestSim || (sim == bestSim && params > bestParams)) {
            bestSim = sim;
            bestParams = params;
            best = long(id);
        }
    }
    if (best < 0 || bestSim < m_options.similarity)
        return -1;
    return best;
}

MatchResult TemplateMiner::add(std::string_view message, TimeMs time) {
    Tokens& t = m_scratch->tokens;
    tokenize(message, t);
    const std::uint64_t sig = signatureHash(t);
    MatchResult r;
    if (auto it = m_cache.find(sig); it != m_cache.end()) {
        r.id = it->second;
    } else {
        Node* leaf = nullptr;
        route(t, true, &leaf);
        const long best = bestInLeaf(*leaf, t);
        if (best < 0) {
            LogTemplate tpl;
            tpl.id = TemplateId(m_templates.size() + 1);
            tpl.tokens.reserve(t.size());
            for (auto m : t.masked)
                tpl.tokens.emplace_back(t.variable.size() && isWildcard(m) ? kWildcard : m);
            tpl.firstSeen = time;
            m_templates.push_back(std::move(tpl));
            leaf->leaf.push_back(m_templates.back().id);
            r.id = m_templates.back().id;
            r.created = true;
        } else {
            LogTemplate& tpl = m_templates[std::size_t(best) - 1];
            for (std::size_t i = 0; i < t.size(); ++i)
                if (!isWildcard(tpl.tokens[i]) && tpl.tokens[i] != t.masked[i]) {
                    tpl.tokens[i] = std::string(kWildcard);
                    r.changed = true;
                }
            r.id = tpl.id;
        }
        if (m_cache.size() >= m_options.cacheEntries)
            m_cache.clear();
        m_cache.emplace(sig, r.id);
    }
    LogTemplate& tpl = m_templates[r.id - 1];
    ++tpl.count;
    if (tpl.count == 1 || time < tpl.firstSeen)
        tpl.firstSeen = time;
    tpl.lastSeen = std::max(tpl.lastSeen, time);
    return r;
}

std::optional<TemplateId> TemplateMiner::match(std::string_view message) const {
    Tokens t;
    tokenize(message, t);
    if (auto it = m_cache.find(signatureHash(t)); it != m_cache.end())
        return it->second;
    Node* leaf = nullptr;
    if (!route(t, false, &leaf))
        return std::nullopt;
    const long best = bestInLeaf(*leaf, t);
    if (best < 0)
        return std::nullopt;
    return TemplateId(best);
}

std::string TemplateMiner::toJson() const {
    nlohmann::json j;
    j["version"] = 1;
    j["options"] = {{"similarity", m_options.similarity},
                    {"depth", m_options.depth},
                    {"maxChildren", m_options.maxChildren},
                    {"maxTemplates", m_options.maxTemplates}};
    auto& arr = j["templates"] = nlohmann::json::array();
    for (const auto& t : m_templates)
        arr.push_back({{"id", t.id},
                       {"tokens", t.tokens},
                       {"count", t.count},
                       {"firstSeen", t.firstSeen},
                       {"lastSeen", t.lastSeen}});
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void TemplateMiner::insert(std::size_t index) {
    const LogTemplate& tpl = m_templates[index];
    Tokens t;
    t.arena.reserve(1);
    for (const auto& s : tpl.tokens) {
        t.text.push_back(s);
        t.masked.push_back(s);
        t.variable.push_back(isWildcard(s) ? 1 : 0);
    }
    Node* leaf = nullptr;
    route(t, true, &leaf);
    leaf->leaf.push_back(tpl.id);
}

Result<TemplateMiner> TemplateMiner::fromJson(std::string_view json) {
    try {
        const auto j = nlohmann::json::parse(json);
        const int version = j.value("version", 0);
        if (version > 1)
            return fail(ErrorCode::VersionTooNew, "The template set was written by a newer Cairn.",
                        "version " + std::to_string(version));
        MinerOptions o;
        if (j.contains("options")) {
            const auto& jo = j.at("options");
            o.similarity = jo.value("similarity", o.similarity);
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
            if (t.id != m.m_templates.size() + 1)
                return fail(ErrorCode::Corrupt, "The template set has ids out of sequence.",
                            "template " + std::to_string(t.id));
            m.m_templates.push_back(std::move(t));
            m.insert(m.m_templates.size() - 1);
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        return fail(ErrorCode::Parse, "The template set is not valid JSON of the expected shape.", e.what());
    }
}

} // namespace cairn::logs
