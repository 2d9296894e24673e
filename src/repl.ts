import { repl } from '@nestjs/core';
import { AppModule } from './app.module';

/**
 * `npm run repl`: the Nest REPL on the whole application, without HTTP listeners. For admin
 * work: `await get(AdminService).createOrg('Acme')`, `await get(AdminService).listOrgs()`.
 */
void repl(AppModule.register());
