package dev.outpost.cloud.stun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.wire.stun.StunAttribute;
import dev.outpost.wire.stun.StunMessage;
import dev.outpost.wire.stun.StunMessageType;
import dev.outpost.wire.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of RFC 8489 section 6.3 and RFC 5780 section 6.1, without a network. */
class StunResponderTest {
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.9", 40000);
    static final InetSocketAddress PP = new InetSocketAddress("203.0.113.1", 3478);
    static final InetSocketAddress PA = new InetSocketAddress("203.0.113.1", 3479);
    static final InetSocketAddress AP = new InetSocketAddress("203.0.113.2", 3478);
    static final InetSocketAddress AA = new InetSocketAddress("203.0.113.2", 3479);

    final StunResponder plain = new StunResponder("test", Map.of(SocketKey.PRIMARY, PP));
    final StunResponder discovery = new StunResponder("test", Map.of(SocketKey.PRIMARY, PP,
            new SocketKey(false, true), PA, new SocketKey(true, false), AP, new SocketKey(true, true), AA));

    @Test
    void answersABindingWithTheSourceAddressSoftwareAndFingerprint() {
        TransactionId id = TransactionId.random();
        var reply = plain.answer(StunMessage.bindingRequest(id), CLIENT, SocketKey.PRIMARY);

        assertThat(reply.from()).isEqualTo(SocketKey.PRIMARY);
        assertThat(reply.to()).isEqualTo(CLIENT);
        assertThat(reply.message().type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(reply.message().transactionId()).isEqualTo(id);
        assertThat(reply.message().fingerprint()).isTrue();
        assertThat(reply.message().attributes()).containsExactly(
                new StunAttribute.XorMappedAddress(CLIENT), new StunAttribute.Software("test"));
    }

    @Test
    void refusesWhatItDoesNotUnderstandWith420() {
        var request = StunMessage.bindingRequest(TransactionId.random(),
                new StunAttribute.Opaque(0x0006, "user".getBytes()), new StunAttribute.Opaque(0xc001, new byte[4]));
        var reply = plain.answer(request, CLIENT, SocketKey.PRIMARY);

        assertThat(reply.message().type()).isEqualTo(StunMessageType.BINDING_ERROR);
        assertThat(reply.message().attribute(StunAttribute.ErrorCode.class).orElseThrow().code()).isEqualTo(420);
        // 0xc001 is comprehension-optional: ignored, not listed
        assertThat(reply.message().attribute(StunAttribute.UnknownAttributes.class).orElseThrow().types())
                .containsExactly(0x0006);
    }

    @Test
    void aChangeRequestWithoutAnAlternateAddressGets420() {
        var reply = plain.answer(StunMessage.bindingRequest(TransactionId.random(),
                new StunAttribute.ChangeRequest(true, false)), CLIENT, SocketKey.PRIMARY);
        assertThat(reply.message().attribute(StunAttribute.UnknownAttributes.class).orElseThrow().types())
                .containsExactly(StunAttribute.CHANGE_REQUEST);

        var nothingToChange = plain.answer(StunMessage.bindingRequest(TransactionId.random(),
                new StunAttribute.ChangeRequest(false, false)), CLIENT, SocketKey.PRIMARY);
        assertThat(nothingToChange.success()).isTrue();
    }

    @Test
    void answersBehaviourDiscoveryFromTheChangedSocket() {
        var same = discovery.answer(StunMessage.bindingRequest(TransactionId.random()), CLIENT, SocketKey.PRIMARY);
        assertThat(same.message().attributes()).containsExactly(new StunAttribute.XorMappedAddress(CLIENT),
                new StunAttribute.ResponseOrigin(PP), new StunAttribute.OtherAddress(AA), new StunAttribute.Software("test"));

        var both = discovery.answer(StunMessage.bindingRequest(TransactionId.random(),
                new StunAttribute.ChangeRequest(true, true)), CLIENT, SocketKey.PRIMARY);
        assertThat(both.from()).isEqualTo(new SocketKey(true, true));
        assertThat(both.message().attribute(StunAttribute.ResponseOrigin.class).orElseThrow().address()).isEqualTo(AA);

        var portOnly = discovery.answer(StunMessage.bindingRequest(TransactionId.random(),
                new StunAttribute.ChangeRequest(false, true)), CLIENT, new SocketKey(true, false));
        assertThat(portOnly.from()).isEqualTo(new SocketKey(true, true));
        // OTHER-ADDRESS is relative to where the request came in.
        assertThat(portOnly.message().attribute(StunAttribute.OtherAddress.class).orElseThrow().address()).isEqualTo(PA);
    }

    @Test
    void responsePortAndPaddingAreHonoured() {
        var reply = discovery.answer(StunMessage.bindingRequest(TransactionId.random(),
                new StunAttribute.ResponsePort(50000), new StunAttribute.Padding(1500)), CLIENT, SocketKey.PRIMARY);
        assertThat(reply.to()).isEqualTo(new InetSocketAddress(CLIENT.getAddress(), 50000));
        assertThat(reply.message().attribute(StunAttribute.Padding.class)).contains(new StunAttribute.Padding(1500));
    }

    @Test
    void anRfc3489ClientGetsMappedAddressAndItsCookieBack() {
        var classic = new StunMessage(StunMessageType.BINDING_REQUEST, 0x01020304, TransactionId.random(), List.of(), false);
        var reply = discovery.answer(classic, CLIENT, SocketKey.PRIMARY);
        assertThat(reply.message().cookie()).isEqualTo(0x01020304);
        assertThat(reply.message().fingerprint()).isFalse();
        assertThat(reply.message().attributes()).containsExactly(new StunAttribute.MappedAddress(CLIENT),
                new StunAttribute.SourceAddress(PP), new StunAttribute.ChangedAddress(AA), new StunAttribute.Software("test"));
    }
}
