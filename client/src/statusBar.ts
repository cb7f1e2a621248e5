/** The status bar item: what the server checked, and whether the policy data has problems. */
import * as vscode from 'vscode';
import type { ServerStatus } from '../../server/src/protocol';
import { Commands } from './constants';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pavedRoad.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Paved Road';
    this.item.command = Commands.showOutput;
    this.show(undefined);
  }

  show(status: ServerStatus | undefined): void {
    if (!status) {
      this.item.text = '$(sync~spin) Paved Road';
      this.item.tooltip = 'Paved Road is starting';
    } else {
      let policy = status.policyIssues.length ? ' $(alert)' : '';
      if (status.stores.some((s) => s.error)) policy += ' $(warning)';
      const signIn = (status.sources ?? []).filter((s) => s.nextStep === 'signIn');
      if (signIn.length) policy += ' $(key)';
      if (status.indexing) policy += ' $(sync~spin)';
      this.item.text = status.errors || status.warnings ? `$(error) ${status.errors} $(warning) ${status.warnings} Paved Road${policy}` : `$(check) Paved Road${policy}`;
      const lines = [
        `Paved Road checked ${status.files} open catalog file${status.files === 1 ? '' : 's'}: ${status.errors} errors, ${status.warnings} warnings.`,
        status.indexing ? 'Reading the workspace catalog…' : `The catalog index holds ${status.entities} entities.`,
      ];
      if (status.policyIssues.length) lines.push('', 'Policy data ignored:', ...status.policyIssues.map((i) => `- ${i}`));
      for (const s of status.stores) {
        lines.push('', s.error ? `Store ${s.label}: ${s.error} (the last good catalog stays: ${s.entities} entities).` : `Store ${s.label}: ${s.entities} entities${s.skipped ? `, ${s.skipped} entries skipped` : ''}.`);
      }
      for (const s of signIn) lines.push('', `${s.label} needs a token: run "Paved Road: Set Source Token…" (${s.error ?? 'not signed in'}).`);
      // Plain text: store errors and policy issues carry data from outside, never rendered as Markdown.
      this.item.tooltip = lines.join('\n');
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
