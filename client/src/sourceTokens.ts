/**
 * The live sources' tokens (Backstage, GitHub): kept in SecretStorage under `tokenKey(sourceId)`, set and
 * cleared by two commands, and sent to the server (SourceTokensNotification) after it starts and whenever
 * one changes. A source that needs one (SourceStatus.nextStep `signIn`) gets one notification per session
 * with a Sign In action. Tokens are never logged, shown or written anywhere else.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { SourceTokensNotification, tokenKey, type ServerStatus, type SourceStatus } from '../../server/src/protocol';
import { Commands } from './constants';

/** The sources that take a token. */
const LIVE_TYPES: readonly string[] = ['backstage', 'github'];
/** globalState key: the ids of the sources a token was ever set for (ids only, never a token). */
const KNOWN_IDS = 'pavedRoad.tokenSources';

export class SourceTokens implements vscode.Disposable {
  private live: SourceStatus[] = [];
  private readonly prompted = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private lastSent = '';

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith(tokenKey(''))) void this.send();
      }),
      // A restarted server has no tokens: send them again.
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          this.lastSent = '';
          void this.send();
        }
      }),
      vscode.commands.registerCommand(Commands.setSourceToken, (id?: string) => this.setToken(id)),
      vscode.commands.registerCommand(Commands.clearSourceToken, (id?: string) => this.clearToken(id)),
    );
  }

  private knownIds(): string[] {
    const ids = new Set(this.context.globalState.get<string[]>(KNOWN_IDS, []));
    for (const s of this.live) ids.add(s.id);
    return [...ids];
  }

  /** Sends every known source's token (once per change: an unchanged set is not sent again). */
  async send(): Promise<void> {
    const tokens: Record<string, string> = {};
    for (const id of this.knownIds()) {
      const value = await this.context.secrets.get(tokenKey(id));
      if (value) tokens[id] = value;
    }
    const fingerprint = JSON.stringify(Object.entries(tokens).sort());
    if (fingerprint === this.lastSent || !this.client.isRunning()) return;
    this.lastSent = fingerprint;
    await this.client.sendNotification(SourceTokensNotification.type, { tokens });
    this.log.info(`Sent the tokens of ${Object.keys(tokens).length} live source${Object.keys(tokens).length === 1 ? '' : 's'} to the language server.`);
  }

  /** Follows the server's status: new live sources get their stored token; one that needs a token, a notification. */
  update(status: ServerStatus): void {
    const before = this.live.map((s) => s.id).join('\n');
    this.live = (status.sources ?? []).filter((s) => LIVE_TYPES.includes(s.type));
    if (this.live.map((s) => s.id).join('\n') !== before) void this.send();
    for (const s of this.live) {
      if (s.nextStep !== 'signIn' || this.prompted.has(s.id)) continue;
      this.prompted.add(s.id);
      const message = `Paved Road: ${s.label} needs a token${s.error ? ` (${s.error})` : ''}.${s.entities ? ` Its last good ${s.entities} entities stay meanwhile.` : ''}`;
      void vscode.window.showWarningMessage(message, 'Sign In').then((a) => {
        if (a) void vscode.commands.executeCommand(Commands.setSourceToken, s.id);
      });
    }
  }

  private async pick(id: string | undefined, placeHolder: string, candidates: SourceStatus[]): Promise<SourceStatus | undefined> {
    if (id) return this.live.find((s) => s.id === id) ?? candidates.find((s) => s.id === id);
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Paved Road: no Backstage or GitHub source is configured (pavedRoad.catalog.sources).');
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const item = await vscode.window.showQuickPick(
      candidates.map((s) => ({ label: s.label, description: s.type, detail: s.nextStep === 'signIn' ? 'needs a token' : undefined, source: s })),
      { placeHolder },
    );
    return item?.source;
  }

  async setToken(id?: string): Promise<void> {
    const source = await this.pick(id, 'The source to set a token for', this.live);
    if (!source) return;
    const value = await vscode.window.showInputBox({
      title: `Token for ${source.label}`,
      prompt: source.type === 'backstage' ? 'A Backstage static token (backend.auth.externalAccess), kept in the editor\'s secret storage' : 'A GitHub token with read access to the repositories, kept in the editor\'s secret storage',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'The token is empty'),
    });
    if (!value?.trim()) return;
    await this.remember(source.id);
    await this.context.secrets.store(tokenKey(source.id), value.trim());
    this.prompted.delete(source.id);
    this.log.info(`A token was set for ${source.label}.`);
    await this.send();
  }

  async clearToken(id?: string): Promise<void> {
    const withToken: SourceStatus[] = [];
    for (const s of this.live) if (await this.context.secrets.get(tokenKey(s.id))) withToken.push(s);
    const source = await this.pick(id, 'The source whose token to clear', withToken);
    if (!source) return;
    await this.context.secrets.delete(tokenKey(source.id));
    this.log.info(`The token of ${source.label} was cleared.`);
    await this.send();
  }

  private async remember(id: string): Promise<void> {
    const ids = this.context.globalState.get<string[]>(KNOWN_IDS, []);
    if (!ids.includes(id)) await this.context.globalState.update(KNOWN_IDS, [...ids, id]);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
