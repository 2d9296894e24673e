import { CacheKey } from '@nestjs/cache-manager';
import {
  Controller,
  Delete,
  Get,
  Header,
  Module,
  NotFoundException,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { OrgApiKeyGuard } from '../../src/auth/org-api-key.guard';
import { CurrentOrg } from '../../src/auth/current-org.decorator';
import { Cached, InvalidatesCache } from '../../src/cache/cache.decorators';
import { Org } from '../../src/orgs/org';
import { OrgsModule } from '../../src/orgs/orgs.module';

/** How many times each test route's handler ran; the specs read and reset it. */
export const handlerCalls: Record<string, number> = {};

function called(route: string): number {
  handlerCalls[route] = (handlerCalls[route] ?? 0) + 1;

  return handlerCalls[route];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Routes that exist only in tests, to show what the cache does with responses the real API
 * does not produce (private, no-store, cookies) and with cache decorators on writes.
 */
@Controller('test/cache')
@UseGuards(OrgApiKeyGuard)
export class CacheTestController {
  @Get('counted')
  @Cached('widgets')
  async counted(@CurrentOrg() org: Org, @Query('delayMs') delayMs?: string): Promise<object> {
    const call = called('counted');
    await sleep(Number(delayMs ?? 0));

    return { org: org.name, call };
  }

  @Get('private')
  @Cached('widgets')
  @Header('Cache-Control', 'private, max-age=60')
  private(): object {
    return { call: called('private') };
  }

  @Get('no-store')
  @Cached('widgets')
  @Header('Cache-Control', 'no-store')
  noStore(): object {
    return { call: called('no-store') };
  }

  @Get('cookie')
  @Cached('widgets')
  cookie(@Res({ passthrough: true }) res: Response): object {
    res.cookie('seen', '1');

    return { call: called('cookie') };
  }

  @Get('missing')
  @Cached('widgets')
  missing(): never {
    called('missing');
    throw new NotFoundException('No such widget');
  }

  @Get('language')
  @Cached('widgets', { vary: ['Accept-Language'] })
  language(@CurrentOrg() org: Org): object {
    return { org: org.name, call: called('language') };
  }

  @Post('counted')
  @Cached('widgets')
  @CacheKey('widgets')
  post(): object {
    return { call: called('POST') };
  }

  @Put('counted')
  @Cached('widgets')
  @CacheKey('widgets')
  put(): object {
    return { call: called('PUT') };
  }

  @Patch('counted')
  @Cached('widgets')
  @CacheKey('widgets')
  @InvalidatesCache('widgets')
  patch(): object {
    return { call: called('PATCH') };
  }

  @Delete('counted')
  @Cached('widgets')
  @CacheKey('widgets')
  delete(): object {
    return { call: called('DELETE') };
  }
}

@Module({ imports: [OrgsModule], controllers: [CacheTestController] })
export class CacheTestRoutesModule {}
