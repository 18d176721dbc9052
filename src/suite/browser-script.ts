import { formatPosition, type UserProblem } from '../errors.js';
import type { YamlFile } from './yaml-file.js';

/** A Playwright locator, as the target file spells it. */
export interface BrowserLocator {
  role?: string;
  name?: string;
  label?: string;
  text?: string;
  placeholder?: string;
  css?: string;
  exact?: boolean;
}

export type BrowserActionKind = 'fill' | 'click' | 'check' | 'wait_for' | 'expect';

/** One action of a page script; `at` is its file:line:column, for messages. */
export interface BrowserAction {
  kind: BrowserActionKind;
  locator: BrowserLocator;
  /** for `fill`: a literal, or `{{user.username}}` / `{{user.password}}` */
  value?: string;
  at: string;
}

export type BrowserPageKind = 'login' | 'consent' | 'account' | 'other';

export interface BrowserPage {
  name: string;
  kind: BrowserPageKind;
  match: { url?: string; visible?: BrowserLocator };
  /** what to do on the page; on a consent page, how to approve */
  actions: BrowserAction[];
  /** on a consent page: how to deny */
  deny?: BrowserAction[];
  at: string;
}

export interface BrowserSettings {
  executablePath?: string;
  user?: { username: string; password: string };
  pages: BrowserPage[];
}

export type ConsentPolicy = 'always' | 'once' | 'never';

export interface ConsentSettings {
  policy: ConsentPolicy;
  revoke?: { url: string; actions: BrowserAction[] };
}

const FILL_VALUE = /\{\{\s*(user\.username|user\.password|client\.id)\s*\}\}/g;

/**
 * Replaces `{{user.username}}`, `{{user.password}}` and, where a step names a client (revoking consent),
 * `{{client.id}}` in a fill value.
 */
export function fillValue(
  value: string,
  user: BrowserSettings['user'],
  clientId?: string,
): string | { missing: string } {
  let missing: string | undefined;
  const filled = value.replace(FILL_VALUE, (_, name: string) => {
    if (name === 'client.id') {
      if (clientId === undefined) missing = 'no client is named here (needed for {{client.id}})';
      return clientId ?? '';
    }
    const field = name === 'user.username' ? 'username' : 'password';
    if (!user) missing = `the target's browser.user is not set (needed for {{${name}}})`;
    return user?.[field] ?? '';
  });
  return missing ? { missing } : filled;
}

type RawAction = { value?: string } & Partial<Record<BrowserActionKind, BrowserLocator>>;
type RawPage = {
  name: string;
  kind?: BrowserPageKind;
  match: { url?: string; visible?: BrowserLocator };
  actions?: RawAction[];
  deny?: RawAction[];
};

/** Builds the browser and consent settings of a schema-valid target file; problems are collected. */
export function readBrowserSettings(
  file: YamlFile,
  raw: {
    browser?: { executable_path?: string; user?: { username: string; password: string }; pages: RawPage[] };
    consent?: { policy: ConsentPolicy; revoke?: { url: string; actions: RawAction[] } };
  },
  resolveEnv: (value: string, path: (string | number)[]) => string,
  problems: UserProblem[],
): { browser?: BrowserSettings; consent?: ConsentSettings } {
  const at = (path: (string | number)[]) => formatPosition(file.locate(path));
  const actions = (list: RawAction[] | undefined, path: (string | number)[]): BrowserAction[] =>
    (list ?? []).map((action, index) => {
      const kind = (['fill', 'click', 'check', 'wait_for', 'expect'] as const).find((k) => action[k]);
      return {
        kind: kind ?? 'click',
        locator: kind ? (action[kind] ?? {}) : {},
        ...(action.value !== undefined ? { value: action.value } : {}),
        at: at([...path, index]),
      };
    });
  const result: { browser?: BrowserSettings; consent?: ConsentSettings } = {};
  if (raw.browser) {
    const pages = raw.browser.pages.map((page, index): BrowserPage => {
      if (page.match.url !== undefined) {
        try {
          new RegExp(page.match.url);
        } catch (error) {
          problems.push({
            message: `invalid regular expression: ${(error as Error).message}`,
            position: file.locate(['browser', 'pages', index, 'match', 'url']),
          });
        }
      }
      return {
        name: page.name,
        kind: page.kind ?? 'other',
        match: page.match,
        actions: actions(page.actions, ['browser', 'pages', index, 'actions']),
        ...(page.deny ? { deny: actions(page.deny, ['browser', 'pages', index, 'deny']) } : {}),
        at: at(['browser', 'pages', index]),
      };
    });
    const { user } = raw.browser;
    result.browser = {
      ...(raw.browser.executable_path ? { executablePath: raw.browser.executable_path } : {}),
      ...(user
        ? {
            user: {
              username: resolveEnv(user.username, ['browser', 'user', 'username']),
              password: resolveEnv(user.password, ['browser', 'user', 'password']),
            },
          }
        : {}),
      pages,
    };
  }
  if (raw.consent) {
    const { revoke } = raw.consent;
    result.consent = {
      policy: raw.consent.policy,
      ...(revoke
        ? {
            revoke: {
              url: resolveEnv(revoke.url, ['consent', 'revoke', 'url']),
              actions: actions(revoke.actions, ['consent', 'revoke', 'actions']),
            },
          }
        : {}),
    };
  }
  return result;
}
