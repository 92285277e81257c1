// Names and Role Provisioning Services: the class roster from the LMS. Pages are followed by
// their Link rel="next" header (NRPS §2.4.2); active members who are not instructors become
// learners of the class (existing ones are kept), so a teacher sees the whole course at once.
import type { LtiStore } from "../../progress/lti.ts";
import type { OutboundHttp } from "../outbound-http.ts";
import { packetlabRole, SCOPES } from "./claims.ts";
import type { ServiceTokens } from "./service-tokens.ts";

const MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
const MAX_PAGES = 200;

/** The URL of rel="next" in a Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) return undefined;
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (match && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

interface Member {
  user_id?: unknown;
  name?: unknown;
  given_name?: unknown;
  family_name?: unknown;
  status?: unknown;
  roles?: unknown;
}

export async function syncRoster(
  deps: {
    store: Pick<LtiStore, "contextOfClass" | "findRegistration" | "enrolMember">;
    http: OutboundHttp;
    tokens: Pick<ServiceTokens, "get">;
  },
  classId: string,
): Promise<{ members: number; learnersAdded: number; pages: number } | { refused: string }> {
  const context = await deps.store.contextOfClass(classId);
  if (!context?.membershipsUrl)
    return { refused: "the class has no LMS roster (no NRPS launch yet)" };
  const registration = await deps.store.findRegistration(context.registrationId);
  if (!registration) return { refused: "the LMS registration was deleted" };
  const token = await deps.tokens.get(registration, [SCOPES.memberships]);
  let url: string | undefined = context.membershipsUrl;
  let members = 0;
  let learnersAdded = 0;
  let pages = 0;
  while (url && pages < MAX_PAGES) {
    const response = await deps.http(url, {
      headers: { accept: MEMBERSHIP_TYPE, authorization: `Bearer ${token}` },
    });
    if (response.status !== 200)
      return { refused: `the roster answered ${response.status}: ${response.body.slice(0, 200)}` };
    pages++;
    const page = JSON.parse(response.body) as { members?: Member[] };
    for (const member of page.members ?? []) {
      if (typeof member.user_id !== "string" || member.user_id === "") continue;
      members++;
      if (member.status === "Inactive" || member.status === "Deleted") continue;
      const roles = Array.isArray(member.roles)
        ? member.roles.filter((r) => typeof r === "string")
        : [];
      if (packetlabRole(roles) !== "learner") continue;
      const name =
        (typeof member.name === "string" && member.name) ||
        [member.given_name, member.family_name].filter((p) => typeof p === "string").join(" ") ||
        `LMS user ${member.user_id.slice(0, 40)}`;
      const { isNew } = await deps.store.enrolMember(
        registration.id,
        classId,
        member.user_id,
        name,
      );
      if (isNew) learnersAdded++;
    }
    url = nextLink(response.headers.link);
  }
  return { members, learnersAdded, pages };
}
