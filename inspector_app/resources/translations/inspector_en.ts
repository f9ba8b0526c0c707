<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BriefHtml</name>
    <message numerus="yes">
        <source>Returned: %n comment(s)</source>
        <translation>
            <numerusform>Returned: %n comment</numerusform>
            <numerusform>Returned: %n comments</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommentsPage</name>
    <message numerus="yes">
        <source>Supervisor&apos;s comments (%n)</source>
        <translation>
            <numerusform>Supervisor&apos;s comments (%n)</numerusform>
            <numerusform>Supervisor&apos;s comments (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CompletionPage</name>
    <message numerus="yes">
        <source>%n thing(s) still missing</source>
        <translation>
            <numerusform>%n thing still missing</numerusform>
            <numerusform>%n things still missing</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DrillModel</name>
    <message numerus="yes">
        <source>submitted after %n day(s)</source>
        <translation>
            <numerusform>submitted after %n day</numerusform>
            <numerusform>submitted after %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HandoverNotice</name>
    <message numerus="yes">
        <source>Handover pending: %n borrower(s) being handed over</source>
        <translation>
            <numerusform>Handover pending: %n borrower being handed over</numerusform>
            <numerusform>Handover pending: %n borrowers being handed over</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> — your signature is needed on %n handover record(s)</source>
        <translation>
            <numerusform> — your signature is needed on %n handover record</numerusform>
            <numerusform> — your signature is needed on %n handover records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ObservationEditor</name>
    <message numerus="yes">
        <source>%n photo(s); add them on the Photos page</source>
        <translation>
            <numerusform>%n photo; add them on the Photos page</numerusform>
            <numerusform>%n photos; add them on the Photos page</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PhotoImport</name>
    <message numerus="yes">
        <source>%n photo(s) added.</source>
        <translation>
            <numerusform>%n photo added.</numerusform>
            <numerusform>%n photos added.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already in this visit, not added again.</source>
        <translation>
            <numerusform>%n already in this visit, not added again.</numerusform>
            <numerusform>%n already in this visit, not added again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be used:</source>
        <translation>
            <numerusform>%n could not be used:</numerusform>
            <numerusform>%n could not be used:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other file(s) in the folders are not photos and were skipped.</source>
        <translation>
            <numerusform>%n other file in the folders is not a photo and was skipped.</numerusform>
            <numerusform>%n other files in the folders are not photos and were skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PortfolioModel</name>
    <message numerus="yes">
        <source>Returned: %n comment(s)</source>
        <translation>
            <numerusform>Returned: %n comment</numerusform>
            <numerusform>Returned: %n comments</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message numerus="yes">
        <source>%n visit(s) waiting for your decision</source>
        <translation>
            <numerusform>%n visit waiting for your decision</numerusform>
            <numerusform>%n visits waiting for your decision</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n decided visit(s)</source>
        <translation>
            <numerusform>%n decided visit</numerusform>
            <numerusform>%n decided visits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ Headquarters did not accept %n of your decisions: another decision stands there. The rows are marked; open one to see what headquarters holds.</source>
        <translation>
            <numerusform>⚠ Headquarters did not accept %n of your decisions: another decision stands there. The row is marked; open it to see what headquarters holds.</numerusform>
            <numerusform>⚠ Headquarters did not accept %n of your decisions: another decision stands there. The rows are marked; open one to see what headquarters holds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignHandoverDialog</name>
    <message numerus="yes">
        <source>Confirm the handover: {giver} hands %n borrower(s) over to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Both have signed the record; look at it, then sign to confirm. Headquarters checks all three signatures and completes the handover: the borrowers move to {taker}. Without the network, your confirmation goes at the next sync.</source>
        <translation>
            <numerusform>Confirm the handover: {giver} hands %n borrower over to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Both have signed the record; look at it, then sign to confirm. Headquarters checks all three signatures and completes the handover: the borrowers move to {taker}. Without the network, your confirmation goes at the next sync.</numerusform>
            <numerusform>Confirm the handover: {giver} hands %n borrowers over to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Both have signed the record; look at it, then sign to confirm. Headquarters checks all three signatures and completes the handover: the borrowers move to {taker}. Without the network, your confirmation goes at the next sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Countersign the handover record: you take over %n borrower(s) from {giver}, with their loans, open warning signals, pending inspections and unsigned visits. {giver} has signed it; your signature goes to headquarters now (or at the next sync), and the supervisor then confirms the handover.</source>
        <translation>
            <numerusform>Countersign the handover record: you take over %n borrower from {giver}, with their loans, open warning signals, pending inspections and unsigned visits. {giver} has signed it; your signature goes to headquarters now (or at the next sync), and the supervisor then confirms the handover.</numerusform>
            <numerusform>Countersign the handover record: you take over %n borrowers from {giver}, with their loans, open warning signals, pending inspections and unsigned visits. {giver} has signed it; your signature goes to headquarters now (or at the next sync), and the supervisor then confirms the handover.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sign the handover record: you hand over %n borrower(s) to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Your signature goes to headquarters now (or at the next sync); {taker} countersigns next.</source>
        <translation>
            <numerusform>Sign the handover record: you hand over %n borrower to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Your signature goes to headquarters now (or at the next sync); {taker} countersigns next.</numerusform>
            <numerusform>Sign the handover record: you hand over %n borrowers to {taker}, with their loans, open warning signals, pending inspections and unsigned visits. Your signature goes to headquarters now (or at the next sync); {taker} countersigns next.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignalsTree</name>
    <message numerus="yes">
        <source>Raised on this visit (%n)</source>
        <translation>
            <numerusform>Raised on this visit (%n)</numerusform>
            <numerusform>Raised on this visit (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Still open from earlier visits (%n)</source>
        <translation>
            <numerusform>Still open from earlier visits (%n)</numerusform>
            <numerusform>Still open from earlier visits (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartHandoverDialog</name>
    <message numerus="yes">
        <source>Hand over %n borrower(s) of {giver} to {taker}? Headquarters records the handover as pending: the borrowers move once {giver} has signed the handover record, {taker} has countersigned it and you have completed it.</source>
        <translation>
            <numerusform>Hand over %n borrower of {giver} to {taker}? Headquarters records the handover as pending: the borrowers move once {giver} has signed the handover record, {taker} has countersigned it and you have completed it.</numerusform>
            <numerusform>Hand over %n borrowers of {giver} to {taker}? Headquarters records the handover as pending: the borrowers move once {giver} has signed the handover record, {taker} has countersigned it and you have completed it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{chosen} of %n borrower(s) chosen</source>
        <translation>
            <numerusform>{chosen} of %n borrower chosen</numerusform>
            <numerusform>{chosen} of %n borrowers chosen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message numerus="yes">
        <source>%n borrower(s)</source>
        <translation>
            <numerusform>%Ln borrower</numerusform>
            <numerusform>%Ln borrowers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitPhotosPage</name>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n photo</numerusform>
            <numerusform>%n photos</numerusform>
        </translation>
    </message>
</context>
</TS>
