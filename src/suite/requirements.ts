import { UserInputError } from '../errors.js';
import { packagePath } from '../package-root.js';
import { validateAgainstSchema } from './schema-validation.js';
import { readYamlFile } from './yaml-file.js';

export type RequirementLevel = 'MUST' | 'SHOULD' | 'MAY' | 'DERIVED';

export interface Requirement {
  id: string;
  spec: string;
  section: string;
  also?: string[];
  level: RequirementLevel;
  conditional?: boolean;
  actor: string;
  ui: string;
  black_box: boolean;
  verified?: boolean;
  text: string;
}

export interface SpecLink {
  title: string;
  url: string;
  section_url?: string;
  id_prefixes: string[];
}

export interface RequirementRegistry {
  requirements: Map<string, Requirement>;
  specs: Map<string, SpecLink>;
  /** the spec section a requirement cites, as a link */
  linkFor(requirementId: string): string | undefined;
}

let cached: RequirementRegistry | undefined;

/** Loads suites/requirements.yaml and config/spec-links.yaml, the registry every suite cites from. */
export function loadRequirementRegistry(): RequirementRegistry {
  if (cached) return cached;
  const registryFile = readYamlFile(packagePath('suites', 'requirements.yaml'), 'suites/requirements.yaml');
  validateAgainstSchema(registryFile, 'requirements.v1.json');
  const linksFile = readYamlFile(packagePath('config', 'spec-links.yaml'), 'config/spec-links.yaml');
  const specs = new Map(Object.entries(linksFile.value as Record<string, SpecLink>));
  const requirements = new Map<string, Requirement>();
  for (const [index, requirement] of (
    registryFile.value as { requirements: Requirement[] }
  ).requirements.entries()) {
    const position = registryFile.locate(['requirements', index, 'id']);
    if (requirements.has(requirement.id)) {
      throw new UserInputError([{ message: `duplicate requirement id "${requirement.id}"`, position }]);
    }
    if (!specs.has(requirement.spec)) {
      throw new UserInputError([{ message: `unknown spec "${requirement.spec}"`, position }]);
    }
    requirements.set(requirement.id, requirement);
  }
  cached = {
    requirements,
    specs,
    linkFor(requirementId) {
      const requirement = requirements.get(requirementId);
      const spec = requirement && specs.get(requirement.spec);
      if (!requirement || !spec) return undefined;
      return spec.section_url && /^[0-9A-Z][0-9.]*$/.test(requirement.section)
        ? spec.section_url.replace('{section}', requirement.section)
        : spec.url;
    },
  };
  return cached;
}
