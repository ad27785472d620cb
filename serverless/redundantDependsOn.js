'use strict';

// A local Serverless Framework plugin: drops from the compiled template every DependsOn entry that
// the resource's own properties already imply through a Ref or Fn::GetAtt (cfn-lint W3005). The
// Framework adds one on each function's custom `role:` although the function's Role is a GetAtt of
// it; CloudFormation tolerates the duplicate, but other validators (moto's CloudFormation among
// them) reject the template, and a warning-free template keeps real warnings visible. Last in the
// plugin list, so that it sees what the other plugins added.

/** Every logical id a value references: { Ref: id }, { 'Fn::GetAtt': [id, attr] } or "id.attr", ${id} in Fn::Sub. */
function referencedIds(value, into = new Set()) {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, into);
    return into;
  }
  if (!value || typeof value !== 'object') return into;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string') into.add(inner);
    else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]);
    else if (key === 'Fn::Sub') {
      const text = Array.isArray(inner) ? inner[0] : inner;
      for (const match of String(text).matchAll(/\$\{([^}!.]+)(\.[^}]*)?\}/g)) into.add(match[1]);
      if (Array.isArray(inner)) referencedIds(inner[1], into);
    } else referencedIds(inner, into);
  }
  return into;
}

/** The template with each resource's DependsOn reduced to what its properties do not already imply; returns the ids dropped. */
function dropRedundantDependsOn(template) {
  const dropped = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.DependsOn === undefined) continue;
    const implied = referencedIds(resource.Properties ?? {});
    const dependsOn = Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
    const kept = dependsOn.filter((id) => !implied.has(id));
    if (kept.length === dependsOn.length) continue;
    for (const id of dependsOn.filter((d) => implied.has(d))) dropped.push(`${logicalId} -> ${id}`);
    if (kept.length) resource.DependsOn = kept;
    else delete resource.DependsOn;
  }
  return dropped;
}

class SecretWatchRedundantDependsOn {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        dropRedundantDependsOn(this.serverless.service.provider.compiledCloudFormationTemplate);
      },
    };
  }
}

module.exports = SecretWatchRedundantDependsOn;
module.exports.dropRedundantDependsOn = dropRedundantDependsOn;
