import { repl } from '@nestjs/core';
import { AppModule } from './app.module';

/**
 * `npm run repl`: the Nest REPL on the whole application, without HTTP listeners. For admin
 * work: `await get(AdminService).createOrg('Acme')`, `await get(AdminService).listOrgs()`.
 */
// An admin session may enqueue work but must never start consuming the queue itself.
void repl(AppModule.register({ APP_ROLE: 'api' }));
