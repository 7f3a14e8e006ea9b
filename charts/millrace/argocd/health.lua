-- Argo CD health check for every Millrace kind (millrace.dev/v1alpha1: Connector, Source,
-- Destination, Connection, Pipeline, PipelineType, AnomalyRule, Model). Install it once per kind as
-- resource.customizations.health.millrace.dev_<Kind> in argocd-cm (docs/install.md).
--
--   status.observedGeneration behind metadata.generation -> Progressing (the operator has not
--                                                           seen the latest spec yet)
--   Ready True                                          -> Healthy
--   Ready False with a failure reason                   -> Degraded
--   anything else (no status, no Ready, Unknown, False while still working) -> Progressing

-- Reasons a Ready=False condition carries while work is still under way, not because it failed.
local inProgress = {
  Progressing = true, Reconciling = true, Pending = true, Waiting = true,
  Creating = true, Syncing = true, Initializing = true, Unknown = true,
}

local hs = { status = "Progressing", message = "Waiting for the Millrace operator" }

if obj.status == nil then
  return hs
end

local generation = obj.metadata and obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "Waiting for the Millrace operator to observe generation " .. tostring(generation)
  return hs
end

if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      local message = condition.message or ""
      if condition.observedGeneration ~= nil and generation ~= nil and condition.observedGeneration < generation then
        hs.message = "Ready reflects an older generation: " .. message
        return hs
      end
      if condition.status == "True" then
        hs.status = "Healthy"
        hs.message = message
        return hs
      end
      if condition.status == "False" and condition.reason ~= nil and condition.reason ~= "" and not inProgress[condition.reason] then
        hs.status = "Degraded"
        hs.message = condition.reason .. ": " .. message
        return hs
      end
      if message ~= "" then
        hs.message = message
      end
      return hs
    end
  end
end

return hs
