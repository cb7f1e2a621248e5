/**
 * Scorecard files in the editor (`apiVersion: paved-road.dev/v1`, `kind: Scorecard`): the problems of
 * schemas/scorecard.schema.json and the scorecard's own checks on what they are about, and key and value
 * completion and hover from the schema, with the same code as template manifests (manifestLanguage.ts).
 */
import schema from '../../../schemas/scorecard.schema.json';
import type { YamlLanguage } from '../scaffolding/manifestLanguage';
import { scorecardIssues } from './definitions';

export const SCORECARD_LANGUAGE: YamlLanguage = { schema, code: 'scorecard', issues: (data) => scorecardIssues(data) };
