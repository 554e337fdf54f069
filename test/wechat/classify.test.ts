import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../src/errors.js';
import { classifyErrcode, type WeChatEndpoint } from '../../src/wechat/index.js';

const ALL: WeChatEndpoint[] = [
  'token',
  'ticket',
  'component_token',
  'authorizer_token',
  'work_token',
  'work_ticket',
];
const MINTING: WeChatEndpoint[] = ['token', 'component_token', 'work_token'];
const USES_TOKEN: WeChatEndpoint[] = ['ticket', 'authorizer_token', 'work_ticket'];

/** [errcode, endpoints, expected kind] */
const TABLE: Array<[number, WeChatEndpoint[], ErrorKind]> = [
  [-1, ALL, 'transient'],
  [45011, ALL, 'transient'],
  [45033, ALL, 'transient'],
  [45009, ['token', 'ticket', 'component_token', 'authorizer_token'], 'quota'],
  [45009, ['work_token', 'work_ticket'], 'transient'],
  [40001, MINTING, 'configuration'],
  [40001, USES_TOKEN, 'token_invalid'],
  [40014, USES_TOKEN, 'token_invalid'],
  [42001, USES_TOKEN, 'token_invalid'],
  [40014, MINTING, 'transient'],
  [42001, MINTING, 'transient'],
  [61005, ['component_token'], 'transient'],
  [61006, ['component_token'], 'transient'],
  ...[
    40002, 40013, 40091, 40125, 40164, 40243, 41001, 41002, 41004, 47001, 48001, 60020, 61004, 61011, 61023,
    61024, 76021, 76022, 89501, 89502, 89503, 89504, 89505, 89506, 89507, 91040,
  ].map((code): [number, WeChatEndpoint[], ErrorKind] => [code, ALL, 'configuration']),
  [12345, ALL, 'transient'],
  [0, ALL, 'transient'],
  [89500, ALL, 'transient'],
  [89508, ALL, 'transient'],
];

describe('classifyErrcode', () => {
  for (const [errcode, endpoints, kind] of TABLE) {
    it(`classifies ${errcode} as ${kind} on ${endpoints.join(', ')}`, () => {
      for (const endpoint of endpoints)
        expect([endpoint, classifyErrcode(errcode, endpoint)]).toEqual([endpoint, kind]);
    });
  }
});
