/**
 * The wizard's steps: a template, each of its parameters in order (text in an input box checked by the
 * server as it is typed, enums and yes/no as quick picks, catalog-backed answers picked by display name).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CatalogChoicesRequest, ValidateParameterRequest, type TemplateSummary } from '../../../server/src/protocol';
import type { Answers, TemplateParameter } from '../../../server/src/scaffolding/types';
import { Settings } from '../constants';
import { parseAnswer, showAnswer } from './answers';
import { outcomeOf, type Step } from './multiStep';

/** What the wizard has answered so far. */
export interface WizardState {
  template?: TemplateSummary;
  answers: Answers;
  /** An addition's service folder. */
  service?: string;
}

/** The user's email from the settings ('' leaves it to the server: git's user.email). */
export function identityEmail(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return vscode.workspace.getConfiguration(undefined, folder?.uri).get<string>(Settings.identityEmail)?.trim() || undefined;
}

interface TemplateItem extends vscode.QuickPickItem {
  template: TemplateSummary;
}

export function templateStep(state: WizardState, templates: readonly TemplateSummary[], onChange: () => Promise<void> | void): Step {
  return {
    title: 'Template',
    async run(input) {
      const items: TemplateItem[] = templates.map((t) => ({
        label: t.title,
        description: `${t.id} ${t.version}${t.origin === 'bundled' ? '' : ` · ${t.origin}`}`,
        detail: t.description,
        template: t,
      }));
      const a = await input.quickPick({ items, active: items.find((i) => i.template.id === state.template?.id), placeholder: 'Choose a template', matchOnDescription: true, matchOnDetail: true });
      if ('outcome' in a) return a.outcome;
      if (state.template?.id !== a.value.template.id) {
        state.template = a.value.template;
        await onChange();
      }
      return 'next';
    },
  };
}

interface ValueItem extends vscode.QuickPickItem {
  value: unknown;
}

/** The step of one parameter; its answer goes into `state.answers` (none for an empty optional one). */
export function parameterStep(client: LanguageClient, state: WizardState, p: TemplateParameter): Step {
  const set = (value: unknown) => {
    if (value === undefined) delete state.answers[p.name];
    else state.answers[p.name] = value;
  };
  const current = () => (p.name in state.answers ? state.answers[p.name] : p.default);
  const validate = async (value: unknown, token?: vscode.CancellationToken): Promise<string | undefined> => {
    const t = state.template!;
    const r = await client.sendRequest(ValidateParameterRequest.type, { template: t.id, version: t.version, email: identityEmail(), name: p.name, value, answers: { ...state.answers, [p.name]: value }, service: state.service }, token);
    return r.message;
  };
  const title = p.required ? p.title : `${p.title} (optional)`;
  return {
    title,
    async run(input) {
      const pick = async (items: ValueItem[]) => {
        const a = await input.quickPick<ValueItem>({
          items,
          active: items.find((i) => i.value === current()) ?? items[0],
          placeholder: p.description,
          matchOnDescription: true,
          matchOnDetail: true,
          accept: async (item, say) => {
            const message = await validate(item.value);
            if (message) say(message);
            return !message;
          },
        });
        return outcomeOf(a, (item) => set(item.value));
      };
      if (p.catalog) {
        const choices = await client.sendRequest(CatalogChoicesRequest.type, { kinds: p.catalog.kinds });
        const items: ValueItem[] = choices.map((c) => ({ label: c.label, description: c.description, detail: c.ref, value: c.ref }));
        if (!p.required) items.unshift({ label: '(none)', value: undefined });
        if (!choices.length) {
          void vscode.window.showWarningMessage(`The catalog has no ${p.catalog.kinds.join(' or ')} to choose as ${p.title}: add the catalog that has them (Paved Road: Add Catalog Source…).`);
        }
        return pick(items);
      }
      if (p.enum) {
        const items = p.enum.map((v): ValueItem => ({ label: String(v), description: v === p.default ? 'default' : undefined, value: v }));
        if (!p.required) items.unshift({ label: '(none)', value: undefined });
        return pick(items);
      }
      if (p.type === 'boolean') return pick([{ label: 'Yes', value: true }, { label: 'No', value: false }]);
      const a = await input.inputBox({
        value: showAnswer(current()),
        prompt: p.description ? `${p.description}${p.type === 'array' ? ' (comma-separated)' : ''}` : undefined,
        placeholder: p.type === 'array' ? 'comma-separated values' : p.title,
        validate: (text, token) => validate(parseAnswer(p, text), token),
      });
      return outcomeOf(a, (text) => set(parseAnswer(p, text)));
    },
  };
}
