/** The server process's launch flags and environment (server/src/lsp/nodeFlags.ts). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { SERVER_NODE_FLAGS, serverEnv, serverStdioArgs } from '../../server/src/lsp/nodeFlags';

describe('server launch: flags and environment', () => {
  it('caps glibc malloc at two arenas unless the user set MALLOC_ARENA_MAX', () => {
    assert.deepEqual(serverEnv({ PATH: '/usr/bin' }), { MALLOC_ARENA_MAX: '2' });
    assert.deepEqual(serverEnv({ MALLOC_ARENA_MAX: '8' }), { MALLOC_ARENA_MAX: '8' });
  });

  it('stdio arguments: our flags, then the extra ones (which win), then the script', () => {
    assert.deepEqual(SERVER_NODE_FLAGS, ['--max-semi-space-size=8']);
    assert.deepEqual(serverStdioArgs('/x/server.js', ['--max-semi-space-size=4']), ['--max-semi-space-size=8', '--max-semi-space-size=4', '/x/server.js', '--stdio']);
  });
});
