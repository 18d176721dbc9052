import { readdirSync } from 'node:fs';
import { UserInputError } from '../errors.js';
import { packagePath } from '../package-root.js';
import type { Severity } from './model.js';
import { validateAgainstSchema } from './schema-validation.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

export interface Profile {
  id: string;
  title: string;
  description?: string;
  /** whether it tests an MCP server, so that a target must name one (false: an authorization server alone) */
  mcpServer: boolean;
  suites: string[];
  severity: Record<string, Severity>;
  file: YamlFile;
}

export const DEFAULT_PROFILE = 'mcp-2025-11-25';

export function builtInProfileIds(): string[] {
  return readdirSync(packagePath('config', 'profiles'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();
}

/** A profile by built-in id (`mcp-2025-06-18`) or by file path. */
export function loadProfile(idOrPath: string): Profile {
  const isPath = idOrPath.includes('/') || idOrPath.endsWith('.yaml') || idOrPath.endsWith('.yml');
  if (!isPath && !builtInProfileIds().includes(idOrPath)) {
    throw new UserInputError(
      `unknown profile "${idOrPath}"; built-in profiles: ${builtInProfileIds().join(', ')}`,
    );
  }
  const file = isPath
    ? readYamlFile(idOrPath)
    : readYamlFile(packagePath('config', 'profiles', `${idOrPath}.yaml`), `config/profiles/${idOrPath}.yaml`);
  validateAgainstSchema(file, 'profile.v1.json');
  const { mcp_server: mcpServer, ...raw } = file.value as Omit<Profile, 'file' | 'severity' | 'mcpServer'> & {
    severity?: Record<string, Severity>;
    mcp_server?: boolean;
  };
  return { ...raw, mcpServer: mcpServer ?? true, severity: raw.severity ?? {}, file };
}
