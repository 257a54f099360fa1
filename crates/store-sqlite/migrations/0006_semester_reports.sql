-- Partners' semester utilization reports (SPEC.md §8). The report is a JSON
-- document written and read only through gerbang-core's SemesterReport
-- type; the partner and the semester are columns for look-ups.
create table semester_reports (
    institution text not null references institutions (code),
    semester text not null,
    body text not null,
    primary key (institution, semester)
);
create index semester_reports_by_semester on semester_reports (semester);
