import { ContactRepository } from '../src/contacts/contact.repository';
import { newId, nowIso } from '../src/common/ids';
import { Database } from '../src/database/database';
import { OrgRepository } from '../src/orgs/org.repository';
import { DATABASE_KINDS, openTestDatabase, TestDatabase } from './support/databases';

describe.each(DATABASE_KINDS)('repositories on %s', (kind) => {
  let t: TestDatabase;
  let orgs: OrgRepository;
  let contacts: ContactRepository;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    orgs = new OrgRepository(t.db as Database);
    contacts = new ContactRepository(t.db as Database);
  });

  afterAll(() => t.drop());

  beforeEach(async () => {
    acme = (await insertOrg('Acme')).id;
    globex = (await insertOrg('Globex')).id;
  });

  function insertOrg(name: string) {
    const id = newId();

    return orgs.insert({
      id,
      name,
      api_key_hash: `hash-${id}`,
      api_key_prefix: 'cm_test',
      created_at: nowIso(),
    });
  }

  describe('OrgRepository', () => {
    it('finds an inserted org by id and by key hash', async () => {
      const org = await insertOrg('Initech');

      expect(await orgs.findById(org.id)).toEqual(org);
      expect(await orgs.findByKeyHash(`hash-${org.id}`)).toEqual(org);
      expect(await orgs.findById(newId())).toBeNull();
      expect((await orgs.list()).map((o) => o.id)).toContain(org.id);
    });

    it('replaces the key hash, and reports false for an unknown org', async () => {
      expect(await orgs.updateKeyHash(acme, 'new-hash', 'cm_new')).toBe(true);
      expect(await orgs.findByKeyHash('new-hash')).toMatchObject({
        id: acme,
        apiKeyPrefix: 'cm_new',
      });
      expect(await orgs.findByKeyHash(`hash-${acme}`)).toBeNull();
      expect(await orgs.updateKeyHash(newId(), 'other', 'cm_x')).toBe(false);
    });
  });

  describe('ContactRepository', () => {
    it('inserts a contact and finds it in its org', async () => {
      const [outcome] = await contacts.upsertMany(acme, [
        {
          email: 'ann@example.com',
          firstName: 'Ann',
          attributes: { plan: 'pro', seats: 3, trial: false },
          tags: ['vip'],
        },
      ]);

      expect(outcome.created).toBe(true);
      expect(await contacts.findById(acme, outcome.id)).toMatchObject({
        id: outcome.id,
        email: 'ann@example.com',
        firstName: 'Ann',
        lastName: null,
        attributes: { plan: 'pro', seats: 3, trial: false },
        tags: ['vip'],
        unsubscribedAt: null,
      });
    });

    it('updates by case-insensitive email and keeps the fields a write leaves out', async () => {
      const [first] = await contacts.upsertMany(acme, [
        { email: 'bob@example.com', firstName: 'Bob', lastName: 'Stone', attributes: { a: 1 } },
      ]);
      const [second] = await contacts.upsertMany(acme, [
        { email: 'BOB@Example.COM', lastName: 'Rock' },
      ]);

      expect(second).toEqual({ id: first.id, created: false });
      expect(await contacts.findById(acme, first.id)).toMatchObject({
        email: 'BOB@Example.COM',
        firstName: 'Bob',
        lastName: 'Rock',
        attributes: { a: 1 },
      });
      expect(await contacts.findIdByEmail(acme, 'bob@EXAMPLE.com')).toBe(first.id);
    });

    it('reports created and updated outcomes in input order within one call', async () => {
      await contacts.upsertMany(acme, [{ email: 'old@example.com' }]);

      const outcomes = await contacts.upsertMany(acme, [
        { email: 'new@example.com' },
        { email: 'OLD@example.com' },
      ]);

      expect(outcomes.map((o) => o.created)).toEqual([true, false]);
    });

    it('replaces tags when a write has them and keeps them when it does not', async () => {
      const [c] = await contacts.upsertMany(acme, [{ email: 'cy@example.com', tags: ['a', 'b'] }]);

      await contacts.upsertMany(acme, [{ email: 'cy@example.com', tags: ['c'] }]);
      expect((await contacts.findById(acme, c.id))?.tags).toEqual(['c']);

      await contacts.upsertMany(acme, [{ email: 'cy@example.com', firstName: 'Cy' }]);
      expect((await contacts.findById(acme, c.id))?.tags).toEqual(['c']);

      expect(await contacts.update(acme, c.id, { tags: ['d', 'e'] })).toBe(true);
      expect((await contacts.findById(acme, c.id))?.tags).toEqual(['d', 'e']);
    });

    it('lists in id order page by page, and filters by tag', async () => {
      const emails = ['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => `${p}@example.com`);
      const outcomes = await contacts.upsertMany(
        acme,
        emails.map((email, i) => ({ email, tags: i % 2 === 0 ? ['even'] : ['odd'] })),
      );
      const ids = outcomes.map((o) => o.id).sort();

      const first = await contacts.list(acme, { limit: 2, afterId: null });
      const second = await contacts.list(acme, { limit: 2, afterId: first[1].id });
      const even = await contacts.list(acme, { limit: 10, afterId: null }, 'even');

      expect(first.map((c) => c.id)).toEqual(ids.slice(0, 3));
      expect(second.map((c) => c.id)).toEqual(ids.slice(2, 5));
      expect(even.map((c) => c.email)).toEqual([emails[0], emails[2], emails[4]]);
    });

    it("treats another org's contact as absent", async () => {
      const [c] = await contacts.upsertMany(acme, [{ email: 'dee@example.com' }]);

      expect(await contacts.findById(globex, c.id)).toBeNull();
      expect(await contacts.findIdByEmail(globex, 'dee@example.com')).toBeNull();
      expect(await contacts.update(globex, c.id, { firstName: 'Mallory' })).toBe(false);
      expect(await contacts.delete(globex, c.id)).toBe(false);
      expect(await contacts.list(globex, { limit: 10, afterId: null })).toEqual([]);
      expect((await contacts.findById(acme, c.id))?.firstName).toBeNull();
    });

    it('keeps the same email as separate contacts in two orgs', async () => {
      const [a] = await contacts.upsertMany(acme, [{ email: 'eve@example.com' }]);
      const [g] = await contacts.upsertMany(globex, [{ email: 'EVE@example.com' }]);

      expect(g.created).toBe(true);
      expect(g.id).not.toBe(a.id);
    });

    it('deletes a contact together with its tags', async () => {
      const [c] = await contacts.upsertMany(acme, [{ email: 'fay@example.com', tags: ['x', 'y'] }]);

      expect(await contacts.delete(acme, c.id)).toBe(true);

      expect(await contacts.findById(acme, c.id)).toBeNull();
      const tags = await t.db
        .selectFrom('contact_tags')
        .selectAll()
        .where('contact_id', '=', c.id)
        .execute();
      expect(tags).toEqual([]);
    });
  });
});
