import { Injectable } from '@nestjs/common';

export type CacheOutcome = 'hit' | 'miss' | 'bypass';

export interface CacheCounts {
  hit: number;
  miss: number;
  bypass: number;
  bypassByReason: Record<string, number>;
}

/** Running totals of what the HTTP cache did, for a metrics endpoint to read. */
@Injectable()
export class CacheCounters {
  private hit = 0;
  private miss = 0;
  private readonly bypassByReason = new Map<string, number>();

  count(outcome: CacheOutcome, reason?: string): void {
    if (outcome === 'hit') this.hit++;
    else if (outcome === 'miss') this.miss++;
    else
      this.bypassByReason.set(
        reason ?? 'unknown',
        (this.bypassByReason.get(reason ?? 'unknown') ?? 0) + 1,
      );
  }

  snapshot(): CacheCounts {
    const bypassByReason = Object.fromEntries(this.bypassByReason);
    const bypass = Object.values(bypassByReason).reduce((sum, n) => sum + n, 0);

    return { hit: this.hit, miss: this.miss, bypass, bypassByReason };
  }
}
