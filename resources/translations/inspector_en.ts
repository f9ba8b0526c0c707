<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n borrower(s)</source>
        <translation>
            <numerusform>%n borrower</numerusform>
            <numerusform>%n borrowers</numerusform>
        </translation>
    </message>
</context>
</TS>
