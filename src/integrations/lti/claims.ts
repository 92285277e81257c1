// LTI 1.3 claim names and the role vocabulary (LTI Core §5.3.7, appendix A). Platforms send the
// full URIs, LTI 1.1's short forms ("Instructor") or URNs, and roles of their own: all accepted,
// the unknown ones ignored.
export const CLAIM = "https://purl.imsglobal.org/spec/lti/claim/";
export const DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/";
export const AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";
export const NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";

export const SCOPES = {
  score: "https://purl.imsglobal.org/spec/lti-ags/scope/score",
  lineItem: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  lineItemRead: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
  resultRead: "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
  memberships: "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
} as const;

const PREFIXES = [
  "http://purl.imsglobal.org/vocab/lis/v2/membership#",
  "http://purl.imsglobal.org/vocab/lis/v2/institution/person#",
  "http://purl.imsglobal.org/vocab/lis/v2/system/person#",
  "urn:lti:role:ims/lis/",
  "urn:lti:instrole:ims/lis/",
  "urn:lti:sysrole:ims/lis/",
];

const TEACHING = new Set([
  "Instructor",
  "TeachingAssistant",
  "ContentDeveloper",
  "Administrator",
  "Faculty",
  "SysAdmin",
]);
const LEARNING = new Set(["Learner", "Student"]);

/** A role's short name: "…membership#Instructor" → "Instructor"; sub-roles keep their parent. */
export function shortRole(role: string): string | undefined {
  // Sub-roles: http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant.
  const sub = /^http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership\/(\w+)#\w+$/.exec(role);
  if (sub) return sub[1];
  for (const prefix of PREFIXES) if (role.startsWith(prefix)) return role.slice(prefix.length);
  if (/^\w+$/.test(role)) return role;
  return undefined;
}

/** teacher if any teaching role; learner otherwise (a Learner, or nothing we know). */
export function packetlabRole(roles: readonly string[]): "teacher" | "learner" {
  const names = roles.map(shortRole).filter((name): name is string => name !== undefined);
  if (names.some((name) => TEACHING.has(name))) return "teacher";
  return "learner";
}

export function isLearnerRole(roles: readonly string[]): boolean {
  const names = roles.map(shortRole);
  return names.some((name) => name !== undefined && LEARNING.has(name));
}
