/**
 * The status bar item: what the server checked, the catalog's size and freshness, and a warning state
 * when a source is stale, whose click shows the sources with what to do next.
 */
import * as vscode from 'vscode';
import type { ServerStatus } from '../../server/src/protocol';
import { Commands } from './constants';
import { sourceLine, sourcesSummary } from './views/present';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pavedRoad.status', vscode.StatusBarAlignment.Left, 10);
  private last: ServerStatus | undefined;

  constructor() {
    this.item.name = 'Paved Road';
    this.show(undefined);
  }

  /** The last status the server sent. */
  get current(): ServerStatus | undefined {
    return this.last;
  }

  show(status: ServerStatus | undefined): void {
    this.last = status;
    this.item.backgroundColor = undefined;
    this.item.command = Commands.showOutput;
    if (!status) {
      this.item.text = '$(sync~spin) Paved Road';
      this.item.tooltip = 'Paved Road is starting';
    } else {
      let marks = status.policyIssues.length ? ' $(alert)' : '';
      if (status.indexing) marks += ' $(sync~spin)';
      const counts = status.errors || status.warnings ? `$(error) ${status.errors} $(warning) ${status.warnings} ` : '';
      const lines = [
        `Paved Road checked ${status.files} open catalog file${status.files === 1 ? '' : 's'}: ${status.errors} errors, ${status.warnings} warnings.`,
        status.indexing ? 'Reading the workspace catalog…' : `The catalog index holds ${status.entities} entities.`,
      ];
      if (status.policyIssues.length) lines.push('', 'Policy data ignored:', ...status.policyIssues.map((i) => `- ${i}`));
      if (status.sources) {
        const summary = sourcesSummary(status.entities, status.sources);
        const lead = summary.warning ? '$(warning) ' : counts ? '' : '$(check) ';
        this.item.text = `${lead}${counts}Paved Road · ${summary.text}${marks}`;
        if (summary.warning) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        this.item.command = Commands.showSources;
        lines.push('', 'Catalog sources:', ...status.sources.map((s) => `- ${sourceLine(s)}`));
        const signIn = status.sources.filter((s) => s.nextStep === 'signIn');
        if (signIn.length) this.item.text += ' $(key)';
        for (const s of signIn) lines.push('', `${s.label} needs a token: run "Paved Road: Set Source Token…".`);
        lines.push('', summary.warning ? 'Click for the details and what to do next.' : 'Click for the sources.');
      } else {
        if (status.stores.some((s) => s.error)) marks += ' $(warning)';
        this.item.text = `${counts || '$(check) '}Paved Road${marks}`;
        for (const s of status.stores) {
          lines.push('', s.error ? `Store ${s.label}: ${s.error} (the last good catalog stays: ${s.entities} entities).` : `Store ${s.label}: ${s.entities} entities${s.skipped ? `, ${s.skipped} entries skipped` : ''}.`);
        }
      }
      // Plain text: store errors and policy issues carry data from outside, never rendered as Markdown.
      this.item.tooltip = lines.join('\n');
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
