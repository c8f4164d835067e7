#include "cairn/remediation/action.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <set>

namespace cairn::remediation {

using nlohmann::json;

std::string_view toString(RiskClass risk) {
    switch (risk) {
    case RiskClass::Low:
        return "low";
    case RiskClass::Medium:
        return "medium";
    case RiskClass::High:
        return "high";
    case RiskClass::Critical:
        return "critical";
    }
    return "unknown";
}

Result<RiskClass> parseRiskClass(std::string_view text) {
    for (RiskClass r : {RiskClass::Low, RiskClass::Medium, RiskClass::High, RiskClass::Critical})
        if (toString(r) == text)
            return r;
    return fail(ErrorCode::InvalidArgument,
                "unknown risk class \"" + std::string(text) + "\" (expected low, medium, high or critical)");
}

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xf]);
    }
    return out;
}

namespace {

json targetJson(const Target& t) {
    return json{{"name", t.name}, {"service", t.service}, {"environment", t.environment}};
}

json rollbackJson(const RollbackSpec& r) {
    return json{{"kind", r.kind}, {"parameters", r.parameters}};
}

Result<std::string> str(const json& obj, const char* key, bool required, const std::string& ctx) {
    auto it = obj.find(key);
    if (it == obj.end()) {
        if (required)
            return fail(ErrorCode::Parse, std::string("field \"") + key + "\" is missing", ctx);
        return std::string();
    }
    if (!it->is_string())
        return fail(ErrorCode::Parse, std::string("field \"") + key + "\" must be a string", ctx);
    return it->get<std::string>();
}

Result<void> onlyKeys(const json& obj, const std::set<std::string>& keys, const std::string& ctx) {
    for (auto it = obj.begin(); it != obj.end(); ++it)
        if (!keys.count(it.key()))
            return fail(ErrorCode::Parse, "unknown field \"" + it.key() + "\"", ctx);
    return {};
}

Result<std::map<std::string, std::string>> params(const json& obj, const std::string& ctx) {
    std::map<std::string, std::string> out;
    auto it = obj.find("parameters");
    if (it == obj.end())
        return out;
    if (!it->is_object())
        return fail(ErrorCode::Parse, "field \"parameters\" must be an object", ctx);
    for (auto p = it->begin(); p != it->end(); ++p) {
        if (p->is_string())
            out[p.key()] = p->get<std::string>();
        else if (p->is_number_integer())
            out[p.key()] = std::to_string(p->get<long long>());
        else if (p->is_boolean())
            out[p.key()] = p->get<bool>() ? "true" : "false";
        else
            return fail(ErrorCode::Parse,
                        "parameter \"" + p.key() + "\" must be a string, integer or boolean", ctx);
    }
    return out;
}

} // namespace

json toJson(const Action& a) {
    json targets = json::array();
    for (const auto& t : a.targets)
        targets.push_back(targetJson(t));
    json j{{"id", a.id},
           {"kind", a.kind},
           {"targets", targets},
           {"parameters", a.parameters},
           {"risk", toString(a.risk)},
           {"reversible", a.reversible},
           {"expectedEffect", a.expectedEffect}};
    if (a.verification) {
        const auto& v = *a.verification;
        j["verification"] = json{{"metric", v.metric},
                                 {"comparator", v.comparator == Comparator::Below ? "below" : "above"},
                                 {"threshold", v.threshold},
                                 {"withinMs", v.withinMs},
                                 {"pollMs", v.pollMs}};
        if (!v.labels.empty())
            j["verification"]["labels"] = v.labels;
    }
    if (a.rollback)
        j["rollback"] = rollbackJson(*a.rollback);
    return j;
}

Result<Action> actionFromJson(const json& j) {
    if (!j.is_object())
        return fail(ErrorCode::Parse, "an action must be a JSON object");
    Action a;
    auto id = str(j, "id", true, "action");
    if (!id)
        return std::unexpected(id.error());
    a.id = *id;
    const std::string ctx = "action " + a.id;
    if (a.id.empty() || a.id.size() > 128)
        return fail(ErrorCode::Parse, "field \"id\" must be 1 to 128 characters", ctx);
    if (auto r = onlyKeys(j,
                          {"id", "kind", "targets", "parameters", "risk", "reversible", "expectedEffect",
                           "verification", "rollback"},
                          ctx);
        !r)
        return std::unexpected(r.error());
    auto kind = str(j, "kind", true, ctx);
    if (!kind)
        return std::unexpected(kind.error());
    a.kind = *kind;
    if (a.kind.empty())
        return fail(ErrorCode::Parse, "field \"kind\" is empty", ctx);
    auto ts = j.find("targets");
    if (ts == j.end() || !ts->is_array() || ts->empty())
        return fail(ErrorCode::Parse, "field \"targets\" must be a non-empty array", ctx);
    for (const auto& t : *ts) {
        Target target;
        if (t.is_string()) {
            target.name = t.get<std::string>();
        } else if (t.is_object()) {
            if (auto r = onlyKeys(t, {"name", "service", "environment"}, ctx); !r)
                return std::unexpected(r.error());
            auto n = str(t, "name", true, ctx);
            auto s = str(t, "service", false, ctx);
            auto e = str(t, "environment", false, ctx);
            if (!n || !s || !e)
                return std::unexpected(!n ? n.error() : !s ? s.error() : e.error());
            target = Target{*n, *s, *e};
        } else {
            return fail(ErrorCode::Parse, "a target must be a string or an object", ctx);
        }
        if (target.name.empty())
            return fail(ErrorCode::Parse, "a target has an empty name", ctx);
        a.targets.push_back(std::move(target));
    }
    auto ps = params(j, ctx);
    if (!ps)
        return std::unexpected(ps.error());
    a.parameters = std::move(*ps);
    auto risk = str(j, "risk", false, ctx);
    if (!risk)
        return std::unexpected(risk.error());
    if (!risk->empty()) {
        auto r = parseRiskClass(*risk);
        if (!r)
            return fail(ErrorCode::Parse, r.error().message, ctx);
        a.risk = *r;
    }
    if (auto it = j.find("reversible"); it != j.end()) {
        if (!it->is_boolean())
            return fail(ErrorCode::Parse, "field \"reversible\" must be true or false", ctx);
        a.reversible = it->get<bool>();
    }
    auto effect = str(j, "expectedEffect", false, ctx);
    if (!effect)
        return std::unexpected(effect.error());
    a.expectedEffect = *effect;
    if (auto it = j.find("verification"); it != j.end()) {
        if (!it->is_object())
            return fail(ErrorCode::Parse, "field \"verification\" must be an object", ctx);
        if (auto r =
                onlyKeys(*it, {"metric", "comparator", "threshold", "withinMs", "pollMs", "labels"}, ctx);
            !r)
            return std::unexpected(r.error());
        VerificationCheck v;
        auto m = str(*it, "metric", true, ctx);
        auto c = str(*it, "comparator", true, ctx);
        if (!m || !c)
            return std::unexpected(!m ? m.error() : c.error());
        v.metric = *m;
        if (*c == "below")
            v.comparator = Comparator::Below;
        else if (*c == "above")
            v.comparator = Comparator::Above;
        else
            return fail(ErrorCode::Parse, "verification comparator must be \"below\" or \"above\"", ctx);
        auto th = it->find("threshold");
        if (th == it->end() || !th->is_number())
            return fail(ErrorCode::Parse, "verification threshold must be a number", ctx);
        v.threshold = th->get<double>();
        for (auto [key, field] : {std::pair{"withinMs", &v.withinMs}, std::pair{"pollMs", &v.pollMs}}) {
            auto f = it->find(key);
            if (f == it->end())
                continue;
            if (!f->is_number_integer() || f->get<long long>() <= 0)
                return fail(ErrorCode::Parse,
                            std::string("verification ") + key + " must be a positive integer", ctx);
            *field = f->get<long long>();
        }
        if (v.metric.empty())
            return fail(ErrorCode::Parse, "verification metric is empty", ctx);
        if (auto l = it->find("labels"); l != it->end()) {
            if (!l->is_object())
                return fail(ErrorCode::Parse, "verification labels must be an object of strings", ctx);
            for (const auto& [key, value] : l->items()) {
                if (!value.is_string() || key.empty())
                    return fail(ErrorCode::Parse, "verification labels must be an object of strings", ctx);
                v.labels[key] = value.get<std::string>();
            }
        }
        a.verification = v;
    }
    if (auto it = j.find("rollback"); it != j.end()) {
        if (!it->is_object())
            return fail(ErrorCode::Parse, "field \"rollback\" must be an object", ctx);
        if (auto r = onlyKeys(*it, {"kind", "parameters"}, ctx); !r)
            return std::unexpected(r.error());
        auto k = str(*it, "kind", true, ctx);
        if (!k)
            return std::unexpected(k.error());
        auto rp = params(*it, ctx);
        if (!rp)
            return std::unexpected(rp.error());
        a.rollback = RollbackSpec{*k, std::move(*rp)};
    }
    return a;
}

Result<std::vector<Action>> parsePlan(std::string_view text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        return fail(ErrorCode::Parse, std::string("plan is not valid JSON: ") + e.what());
    }
    std::vector<Action> out;
    std::set<std::string> ids;
    const json* list = nullptr;
    json single = json::array();
    if (j.is_object() && j.contains("actions")) {
        list = &j["actions"];
        if (!list->is_array())
            return fail(ErrorCode::Parse, "plan field \"actions\" must be an array");
    } else {
        single.push_back(j);
        list = &single;
    }
    if (list->empty())
        return fail(ErrorCode::Parse, "plan contains no actions");
    for (const auto& item : *list) {
        auto a = actionFromJson(item);
        if (!a)
            return std::unexpected(a.error());
        if (!ids.insert(a->id).second)
            return fail(ErrorCode::Parse, "action id \"" + a->id + "\" appears twice in the plan");
        out.push_back(std::move(*a));
    }
    return out;
}

std::optional<Action> rollbackAction(const Action& a) {
    if (!a.rollback)
        return std::nullopt;
    Action r;
    r.id = a.id + ".rollback";
    r.kind = a.rollback->kind;
    r.targets = a.targets;
    r.parameters = a.rollback->parameters;
    r.risk = a.risk;
    r.reversible = false;
    r.expectedEffect = "undo " + a.kind;
    return r;
}

std::string fingerprint(const Action& a) {
    json targets = json::array();
    for (const auto& t : a.targets)
        targets.push_back(targetJson(t));
    json canonical{{"kind", a.kind},
                   {"targets", targets},
                   {"parameters", a.parameters},
                   {"rollback", a.rollback ? rollbackJson(*a.rollback) : json()}};
    // nlohmann::json objects are std::map-ordered, so dump() is canonical.
    return sha256Hex(canonical.dump());
}

} // namespace cairn::remediation
