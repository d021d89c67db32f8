export { gradleLockfileParser } from './gradle-lockfile.parser';
export { pomXmlParser } from './pom-xml.parser';
