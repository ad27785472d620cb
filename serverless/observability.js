'use strict';

// A local Serverless Framework plugin: after the Framework has merged `resources` into the compiled
// template, it adds the CloudWatch dashboard and the alarms the template lacks, built by
// src/dashboard (TypeScript, compiled in memory) over the template itself. A plugin rather than a
// variable resolver: a resolver runs before the template exists and would need a hand-kept list of
// the functions, queues and rules; the plugin sees every one of them, whoever added it.

const { loadTypeScript } = require('./typescript');

const OPS_TOPIC_LOGICAL_ID = 'OpsTopic';

class SecretWatchObservability {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addObservability(),
    };
  }

  addObservability() {
    const provider = this.serverless.getProvider('aws');
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const { observabilityResources } = loadTypeScript('src/dashboard/index.ts');
    const added = observabilityResources(template, { stage: provider.getStage(), region: provider.getRegion(), opsTopicLogicalId: OPS_TOPIC_LOGICAL_ID });
    for (const [logicalId, resource] of Object.entries(added)) {
      if (template.Resources[logicalId]) throw new Error(`serverless/observability.js: ${logicalId} is already in the template`);
      template.Resources[logicalId] = resource;
    }
  }
}

module.exports = SecretWatchObservability;
