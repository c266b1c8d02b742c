#include "isabelle_bridge/isabelle_heuristics.h"

#include "isabelle_bridge/isabelle_context_items.h"

namespace thor::isabelle {

std::vector<std::string> IsabelleHeuristics::CheapSteps(const std::string& /*state_text*/) const {
  return {"by auto",       "by simp",  "by blast", "by fastforce", "by force",
          "by eval",       "by presburger", "by sos", "by arith", "by linarith",
          "by (auto simp: field_simps)"};
}

std::vector<ContextItem> IsabelleHeuristics::ContextItems(const std::string& context) const {
  return IsabelleContextItems(context);
}

}  // namespace thor::isabelle
